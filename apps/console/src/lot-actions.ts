import { allPages, get, lotPath, post } from './api.js';
import { confirmAction, type Confirmation } from './confirm.js';
import { h } from './dom.js';
import { flash, problem } from './flash.js';
import { t, tn } from './i18n.js';
import type { DestroyAnswer, LockAnswer, Lot, RecallAnswer, Trace } from './types.js';

type Action = 'lock' | 'unlock' | 'recall' | 'destroy';

/**
 * How many lots a recall of this lot reaches: the lot and every descendant,
 * as its forward trace names them, every page (lots the read model has yet
 * to show included): the set the recall command gives a LotRecalled each.
 */
const recallReach = async (traceCode: string): Promise<number> => {
  const { pages } = await allPages((cursor) => get<Trace>(`${lotPath(traceCode)}/trace`, { direction: 'forward', limit: 1000, cursor }), Number.POSITIVE_INFINITY);
  return new Set(pages.flatMap((p) => [...p.lots.map((l) => l.traceCode), ...(p.pending ?? [])])).size;
};

const reasonLine = (reason: string): string => t('confirm.reason', { reason });

/** What the regulator is asked before a recall or a destruction, each naming what it will reach. */
const question = async (action: 'recall' | 'destroy', lot: Lot, reason: string): Promise<Confirmation> => {
  if (action === 'destroy') {
    return {
      title: t('confirm.destroyTitle', { traceCode: lot.traceCode }),
      statement: t('confirm.destroy', { traceCode: lot.traceCode }),
      details: [t('confirm.destroyOnly'), reasonLine(reason)],
      confirm: t('confirm.destroyYes'),
    };
  }
  const count = await recallReach(lot.traceCode);
  return {
    title: t('confirm.recallTitle', { traceCode: lot.traceCode }),
    statement: tn('confirm.recall', count),
    details: [reasonLine(reason)],
    confirm: tn('confirm.recallYes', count),
  };
};

/**
 * Lock, unlock, recall and destroy: the same API routes a script would call,
 * with the reason the API requires. A recall and a destruction cannot be
 * undone, so each first asks (confirm.ts) and sends nothing unless confirmed.
 */
export const lotActions = (lot: Lot): HTMLElement => {
  const result = h('div', { id: 'action-result', 'aria-live': 'polite' });
  const reason = h('textarea', { id: 'action-reason', name: 'reason', required: true, rows: 2, maxlength: 500, 'aria-describedby': 'action-reason-help' });
  const buttons: HTMLButtonElement[] = [];
  // While one action is asked or sent, the others wait (a flag, not `disabled`, so focus stays on the button for the dialog to return to).
  let busy = false;
  const settle = (): void => {
    busy = false;
    for (const b of buttons) b.disabled = false;
  };
  const run = async (action: Action): Promise<void> => {
    if (busy) return;
    const text = reason.value.trim();
    if (!text) {
      reason.setAttribute('aria-invalid', 'true');
      result.replaceChildren(h('p', { class: 'problem', role: 'alert' }, t('actions.needReason')));
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    busy = true;
    try {
      if (action === 'recall' || action === 'destroy') {
        result.replaceChildren(h('p', { role: 'status' }, t('confirm.reading')));
        const asked = await question(action, lot, text);
        result.replaceChildren();
        if (!(await confirmAction(asked))) {
          result.replaceChildren(h('p', { role: 'status' }, t('confirm.cancelled')));
          settle();
          return;
        }
      }
      for (const b of buttons) b.disabled = true;
      result.replaceChildren(h('p', { role: 'status' }, t('actions.sending')));
      const path = `${lotPath(lot.traceCode)}/${action}`;
      if (action === 'recall') {
        const answer = await post<RecallAnswer>(path, { reason: text });
        flash(tn('actions.recalled', answer.lotsAffected, { recallId: answer.recallId, traceCode: lot.traceCode }));
        location.hash = `#/recalls/${encodeURIComponent(answer.recallId)}?atLeast=${answer.position}`;
        return;
      }
      if (action === 'destroy') {
        const answer = await post<DestroyAnswer>(path, { reason: text });
        flash(t('actions.destroyed', { traceCode: lot.traceCode }));
        location.hash = `#/lots/${encodeURIComponent(lot.traceCode)}?atLeast=${answer.position}`;
        return;
      }
      const answer = await post<LockAnswer>(path, { reason: text });
      flash(tn(action === 'lock' ? 'actions.locked' : 'actions.unlocked', answer.lotsAffected, { traceCode: lot.traceCode }));
      location.hash = `#/lots/${encodeURIComponent(lot.traceCode)}?atLeast=${answer.position}`;
    } catch (e) {
      result.replaceChildren(problem(e));
      settle();
    }
  };
  for (const action of ['lock', 'unlock', 'recall', 'destroy'] as const) {
    const danger = action === 'recall' || action === 'destroy';
    buttons.push(h('button', { type: 'button', id: `action-${action}`, class: danger ? 'danger' : null, onclick: () => void run(action) }, t(`actions.${action}`)));
  }
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'actions-heading' },
    h('h2', { id: 'actions-heading' }, t('actions.title')),
    h('label', { for: 'action-reason' }, t('actions.reason')),
    reason,
    h('p', { id: 'action-reason-help', class: 'help' }, t('actions.help')),
    h('div', { class: 'actions' }, ...buttons.flatMap((b) => [b, ' '])),
    result,
  );
};
