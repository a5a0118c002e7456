import { allPages, ApiFailure, get, lotPath, post } from './api.js';
import { facts, h, hashLink, time } from './dom.js';
import { flash, problem } from './flash.js';
import { genealogySection, mergeTraces } from './genealogy-graph.js';
import { badge } from './status.js';
import type { Eligibility, History, HistoryEvent, LockAnswer, Lot, RecallAnswer, Trace } from './types.js';

const HISTORY_PAGE = 50;

/** A line of what an event says, beyond its type: the reason, quantity, place or document it names. */
const eventDetail = (e: HistoryEvent): string => {
  const d = e.data;
  const parts: string[] = [];
  for (const key of ['action', 'reason', 'documentType', 'type', 'result', 'toFacilityId', 'zoneId', 'quantity', 'ancestor', 'recallId', 'message']) {
    const v = d[key];
    if (typeof v === 'string' || typeof v === 'number') parts.push(`${key}: ${v}`);
  }
  return parts.join(' · ');
};

const historyItem = (e: HistoryEvent): HTMLElement =>
  h(
    'li',
    {},
    h('div', { class: 'when' }, time(e.occurredAt)),
    h(
      'div',
      { class: 'what' },
      h('strong', {}, e.type),
      e.facilityId ? ` at ${e.facilityId}` : '',
      e.actor ? h('span', { class: 'muted' }, ` — by ${e.actor.name}${e.actor.role ? ` (${e.actor.role})` : ''}`) : '',
      eventDetail(e) ? h('div', { class: 'detail' }, eventDetail(e)) : null,
    ),
  );

const where = (lot: Lot): string =>
  lot.holder ? `${lot.holder.facilityId} (${lot.holder.facilityType}${lot.holder.zoneId ? `, zone ${lot.holder.zoneId}` : ''})` : lot.inTransit ? `in transit from ${lot.inTransit.fromFacilityId} to ${lot.inTransit.toFacilityId}` : '—';

/** Lock, unlock and recall: the same API routes a script would call, with the reason the API requires. */
const actions = (lot: Lot): HTMLElement => {
  const result = h('div', { id: 'action-result', 'aria-live': 'polite' });
  const reason = h('textarea', { id: 'action-reason', name: 'reason', required: true, rows: 2, maxlength: 500, 'aria-describedby': 'action-reason-help' });
  const buttons: HTMLButtonElement[] = [];
  const run = async (action: 'lock' | 'unlock' | 'recall'): Promise<void> => {
    const text = reason.value.trim();
    if (!text) {
      reason.setAttribute('aria-invalid', 'true');
      result.replaceChildren(h('p', { class: 'problem', role: 'alert' }, 'Enter a reason first: it is recorded with the command.'));
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    for (const b of buttons) b.disabled = true;
    result.replaceChildren(h('p', { role: 'status' }, `Sending ${action}…`));
    try {
      if (action === 'recall') {
        const answer = await post<RecallAnswer>(`${lotPath(lot.traceCode)}/recall`, { reason: text });
        flash(`Recall ${answer.recallId} recorded: ${answer.lotsAffected} lot${answer.lotsAffected === 1 ? '' : 's'} recalled (${lot.traceCode} and its descendants).`);
        location.hash = `#/recalls/${encodeURIComponent(answer.recallId)}?atLeast=${answer.position}`;
        return;
      }
      const answer = await post<LockAnswer>(`${lotPath(lot.traceCode)}/${action}`, { reason: text });
      flash(`${action === 'lock' ? 'Locked' : 'Unlocked'}: ${answer.lotsAffected} lot${answer.lotsAffected === 1 ? '' : 's'} affected (${lot.traceCode} and its descendants).`);
      location.hash = `#/lots/${encodeURIComponent(lot.traceCode)}?atLeast=${answer.position}`;
    } catch (e) {
      result.replaceChildren(problem(e));
      for (const b of buttons) b.disabled = false;
    }
  };
  for (const [action, label] of [
    ['lock', 'Lock'],
    ['unlock', 'Unlock'],
    ['recall', 'Recall'],
  ] as const) {
    buttons.push(h('button', { type: 'button', id: `action-${action}`, class: action === 'recall' ? 'danger' : null, onclick: () => void run(action) }, label));
  }
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'actions-heading' },
    h('h2', { id: 'actions-heading' }, 'Regulator actions'),
    h('label', { for: 'action-reason' }, 'Reason (required)'),
    reason,
    h('p', { id: 'action-reason-help', class: 'help' }, 'Lock, unlock and recall reach this lot and every descendant. A recall is permanent.'),
    h('div', { class: 'actions' }, ...buttons.flatMap((b) => [b, ' '])),
    result,
  );
};

export const renderLot = async (main: HTMLElement, traceCode: string, query: URLSearchParams): Promise<() => void> => {
  const atLeast = query.get('atLeast');
  const read = { atLeast };
  const path = lotPath(traceCode);
  const traceOf = (direction: 'backward' | 'forward') => allPages((cursor) => get<Trace>(`${path}/trace`, { direction, cursor, ...read }));
  const [lot, eligibility, history, backward, forward] = await Promise.all([
    get<Lot>(path, read),
    get<Eligibility>(`${path}/sale-eligibility`, read),
    get<History>(`${path}/history`, { limit: HISTORY_PAGE, ...read }),
    traceOf('backward'),
    traceOf('forward'),
  ]).catch((e: unknown) => {
    if (e instanceof ApiFailure && e.status === 404) throw new ApiFailure(404, e.code, `No lot ${traceCode} (or not yet projected).`);
    throw e;
  });
  const genealogy = mergeTraces([...backward.pages, ...forward.pages], backward.complete && forward.complete);
  const graph = genealogySection(genealogy, lot.traceCode);

  const timeline = h('ol', { class: 'timeline', id: 'history' }, ...history.events.map(historyItem));
  let cursor = history.nextCursor;
  const more = h('button', { type: 'button', hidden: cursor === null }, 'Show more events');
  more.addEventListener('click', () => {
    more.disabled = true;
    get<History>(`${path}/history`, { limit: HISTORY_PAGE, cursor })
      .then((page) => {
        timeline.append(...page.events.map(historyItem));
        cursor = page.nextCursor;
        more.hidden = cursor === null;
      })
      .catch((e: unknown) => more.after(problem(e)))
      .finally(() => (more.disabled = false));
  });

  const locks = [
    ...(lot.lock ? [h('li', {}, `Locked (${lot.lock.source}) since `, time(lot.lock.lockedAt), `: ${lot.lock.reason}`)] : []),
    ...lot.ancestorLocks.map((l) => h('li', {}, 'Locked through ancestor ', hashLink(`#/lots/${encodeURIComponent(l.ancestor)}`, l.ancestor), ' since ', time(l.lockedAt), `: ${l.reason}`)),
  ];

  const sections: (HTMLElement | null)[] = [
    h('p', { class: 'crumbs' }, hashLink('#/lots', '« All lots')),
    h('h1', {}, `Lot ${lot.traceCode} `, badge(lot.status)),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { 'aria-labelledby': 'facts-heading' },
        h('h2', { id: 'facts-heading' }, 'Facts'),
        facts([
          ['Product', lot.product ? `${lot.product.name} (${lot.product.category})` : null],
          ['Status', badge(lot.status)],
          ['Origin', lot.originCountries.join(', ')],
          ['Importer', lot.importers.join('; ')],
          ['Quantity', lot.quantity ? `${lot.quantity.remaining} of ${lot.quantity.initial} ${lot.quantity.unit} left` : null],
          ['Port of entry', lot.portOfEntryId],
          ['Entered', time(lot.enteredAt)],
          ['Where', where(lot)],
          ['Parents', lot.parents.length ? lot.parents.flatMap((p, i) => [i ? ', ' : '', hashLink(`#/lots/${encodeURIComponent(p.traceCode)}`, p.traceCode)]) : null],
          ['Children', lot.children.length ? lot.children.flatMap((c, i) => [i ? ', ' : '', hashLink(`#/lots/${encodeURIComponent(c.traceCode)}`, c.traceCode)]) : null],
          ['Recalls', lot.recalls.length ? lot.recalls.flatMap((r, i) => [i ? ', ' : '', hashLink(`#/recalls/${encodeURIComponent(r.recallId)}`, `${r.recallId} (${r.reason})`)]) : null],
          ['Destroyed', lot.destroyed ? `${lot.destroyed.reason}` : null],
        ]),
      ),
      h(
        'section',
        { 'aria-labelledby': 'sale-heading' },
        h('h2', { id: 'sale-heading' }, 'May it be sold?'),
        h('p', { class: eligibility.allowed ? 'verdict ok' : 'verdict blocked', id: 'sale-verdict' }, eligibility.allowed ? '✓ Yes: nothing blocks a sale.' : `⊘ No: blocked for ${eligibility.reasons.length} reason${eligibility.reasons.length === 1 ? '' : 's'}.`),
        eligibility.reasons.length ? h('ul', { id: 'blocking-reasons' }, ...eligibility.reasons.map((r) => h('li', {}, h('code', {}, r.code), ` ${r.message}`))) : null,
        h('p', { class: 'muted' }, 'Judged at ', time(eligibility.evaluatedAt), '.'),
        locks.length ? h('div', {}, h('h3', {}, 'Locks'), h('ul', {}, ...locks)) : null,
        actions(lot),
      ),
    ),
    graph.section,
    lot.violations.length
      ? h(
          'section',
          { 'aria-labelledby': 'violations-heading' },
          h('h2', { id: 'violations-heading' }, 'Trace violations'),
          h('ul', {}, ...lot.violations.map((v) => h('li', {}, h('code', {}, v.kind), ` ${v.status}: ${v.message} at ${v.facilityId}, `, time(v.occurredAt)))),
        )
      : null,
    h(
      'section',
      { 'aria-labelledby': 'documents-heading' },
      h('h2', { id: 'documents-heading' }, 'Papers'),
      lot.documents.length
        ? h('ul', {}, ...lot.documents.map((d) => h('li', {}, h('strong', {}, d.type), ` ${d.number}, ${d.issuer}, issued `, time(d.issuedAt), d.result ? `, result ${d.result}` : '', d.validUntil ? [', valid until ', time(d.validUntil)] : '')))
        : h('p', {}, 'No papers attached.'),
    ),
    lot.flags.length
      ? h('section', { 'aria-labelledby': 'flags-heading' }, h('h2', { id: 'flags-heading' }, 'Compliance flags'), h('ul', {}, ...lot.flags.map((f) => h('li', {}, h('code', {}, f.flag), ` ${f.message}`))))
      : null,
    h('section', { 'aria-labelledby': 'history-heading' }, h('h2', { id: 'history-heading' }, 'History'), timeline, more),
  ];
  main.replaceChildren(...sections.filter((s): s is HTMLElement => s !== null));
  graph.mount();
  return () => {
    window.coldtraceGraph?.destroy();
    window.coldtraceGraph = undefined;
  };
};
