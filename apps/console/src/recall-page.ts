import { allPages, get } from './api.js';
import { facts, h, hashLink, stacking, time, when } from './dom.js';
import { facility, facilityText, loadFacilityNames } from './facilities.js';
import { codeText, formatClock, num, t, tn } from './i18n.js';
import { problem } from './flash.js';
import { recallDownloads } from './downloads.js';
import { badge } from './status.js';
import type { Recall, RecalledLot, RecallTold } from './types.js';

/** How often the page asks again while projections catch up. */
const POLL_MS = 3000;

/** Where a recalled lot is now: the facility holding it, or the road it is on. */
const placeOf = (lot: RecalledLot): string =>
  lot.holder ? facilityText(lot.holder.facilityId) : lot.inTransit ? t('recall.inTransitTo', { facility: facilityText(lot.inTransit.toFacilityId) }) : t('recall.nowhere');

const groups = (lots: RecalledLot[]): [string, RecalledLot[]][] => {
  const byPlace = new Map<string, RecalledLot[]>();
  for (const lot of lots) byPlace.set(placeOf(lot), [...(byPlace.get(placeOf(lot)) ?? []), lot]);
  return [...byPlace.entries()].sort(([a], [b]) => a.localeCompare(b));
};

/**
 * Whether the holder when recalled was told by its webhook subscription, in
 * words with a symbol (the colour only adds to them): told and when, still
 * being tried, refused or given up on, or no subscription to tell.
 */
const toldBadge = (told: RecallTold | null): HTMLElement => {
  const badgeOf = (kind: string, symbol: string, ...text: (Node | string)[]) =>
    h('span', { class: `badge told-${kind}`, 'data-told': kind }, h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, symbol), ' ', ...text);
  if (told === null) return badgeOf('none', '–', t('told.none'));
  const of = told.subscribers > 1 ? t('told.of', { delivered: told.delivered, subscribers: told.subscribers }) : '';
  if (told.delivered > 0 && told.firstDeliveredAt) {
    // The time of day to the second: a recall is told within moments, so minutes would hide the order.
    const [before, after] = t('told.delivered').split('{time}');
    return badgeOf('delivered', '✓', before, h('time', { datetime: told.firstDeliveredAt, title: when(told.firstDeliveredAt) }, formatClock(told.firstDeliveredAt)), after, of);
  }
  if (told.pending > 0) return badgeOf('pending', '…', t('told.pending'));
  if (told.failed > 0) return badgeOf('failed', '✕', t('told.failed'));
  // Every delivery dropped: the subscription ended or its key was revoked before it went.
  return badgeOf('failed', '✕', t('told.notSent'));
};

const unsold = (lots: RecalledLot[]): number => Math.round(lots.reduce((sum, l) => sum + (l.remaining ?? 0), 0) * 1000) / 1000;

const groupSection = ([place, lots]: [string, RecalledLot[]], index: number): HTMLElement =>
  h(
    'section',
    { class: 'facility-group', 'aria-labelledby': `group-${index}` },
    h('h3', { id: `group-${index}` }, place, h('span', { class: 'muted' }, tn('recall.group', lots.length, { unsold: unsold(lots) }))),
    h(
      'div',
      { class: 'table-wrap' },
      stacking(h(
        'table',
        { class: 'recall-lots' },
        h('thead', {}, h('tr', {}, ...(['traceCode', 'status', 'unsold', 'heldWhenRecalled', 'recalledAt', 'told'] as const).map((c) => h('th', { scope: 'col' }, t(`recall.col.${c}`))))),
        h(
          'tbody',
          {},
          ...lots.map((l) =>
            h(
              'tr',
              { 'data-trace-code': l.traceCode },
              h('th', { scope: 'row' }, hashLink(`#/lots/${encodeURIComponent(l.traceCode)}`, l.traceCode)),
              h('td', {}, l.status ? badge(l.status) : t('recall.notProjected')),
              h('td', { class: 'num' }, l.remaining === null ? '—' : num(l.remaining)),
              h('td', {}, facility(l.holderWhenRecalled)),
              h('td', {}, time(l.recalledAt)),
              h('td', { class: 'told' }, toldBadge(l.told)),
            ),
          ),
        ),
      )),
    ),
  );

/**
 * A recall: its source, every lot it reached grouped by the facility holding
 * it now, what is still unsold, whether each holder was told by webhook;
 * asked again every few seconds, so lots appear as the projections record
 * them and deliveries show as they settle.
 */
export const renderRecall = async (main: HTMLElement, recallId: string, query: URLSearchParams): Promise<() => void> => {
  const path = `/api/recalls/${encodeURIComponent(recallId)}`;
  const load = (atLeast: string | null) => allPages((cursor) => get<Recall>(path, { cursor, atLeast }));
  const first = await load(query.get('atLeast'));

  const status = h('p', { class: 'summary', role: 'status', id: 'recall-status' });
  const body = h('div', { id: 'recall-lots' });
  const problems = h('div', {});
  const head = first.pages[0];

  const show = async (pages: Recall[], complete: boolean): Promise<void> => {
    await loadFacilityNames(pages.flatMap((p) => p.lots.flatMap((l) => [l.holder?.facilityId, l.inTransit?.toFacilityId, l.holderWhenRecalled])));
    const lots = pages.flatMap((p) => p.lots);
    const recall = pages[0];
    const catchingUp = lots.length < recall.lotCount;
    status.replaceChildren(
      tn('recall.shown', recall.lotCount, { shown: lots.length, unsold: unsold(lots) }),
      catchingUp ? t('recall.catchingUp') : '',
      complete ? '' : t('recall.firstPagesOnly'),
      t('recall.updated', { time: when(new Date().toISOString()), seconds: POLL_MS / 1000 }),
    );
    body.replaceChildren(...groups(lots).map(groupSection));
  };

  main.replaceChildren(
    h('p', { class: 'crumbs' }, hashLink('#/lots', t('lot.allLots'))),
    h('h1', {}, t('recall.title', { recallId: head.recallId })),
    facts([
      [t('recall.startedFrom'), hashLink(`#/lots/${encodeURIComponent(head.origin)}`, head.origin)],
      [t('recall.source'), codeText('recall.source', head.source)],
      [t('recall.reason'), head.reason],
      [t('recall.recalledAt'), time(head.recalledAt)],
      [t('recall.lotsReached'), num(head.lotCount)],
    ]),
    recallDownloads(head.recallId, query.get('atLeast')),
    h('h2', {}, t('recall.byFacility')),
    status,
    problems,
    body,
  );
  await show(first.pages, first.complete);

  let stopped = false;
  let timer: number | undefined;
  const poll = (): void => {
    timer = window.setTimeout(() => {
      load(null)
        .then(async (next) => {
          if (stopped) return;
          problems.replaceChildren();
          await show(next.pages, next.complete);
        })
        .catch((e: unknown) => {
          if (!stopped) problems.replaceChildren(problem(e));
        })
        .finally(() => {
          if (!stopped) poll();
        });
    }, POLL_MS);
  };
  poll();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
};
