import { allPages, get } from './api.js';
import { facts, h, hashLink, time, when } from './dom.js';
import { problem } from './flash.js';
import { badge } from './status.js';
import type { Recall, RecalledLot, RecallTold } from './types.js';

/** How often the page asks again while projections catch up. */
const POLL_MS = 3000;

/** Where a recalled lot is now: the facility holding it, or the road it is on. */
const placeOf = (lot: RecalledLot): string =>
  lot.holder ? lot.holder.facilityId : lot.inTransit ? `In transit to ${lot.inTransit.toFacilityId}` : 'Held nowhere (sold out or destroyed)';

const groups = (lots: RecalledLot[]): [string, RecalledLot[]][] => {
  const byPlace = new Map<string, RecalledLot[]>();
  for (const lot of lots) byPlace.set(placeOf(lot), [...(byPlace.get(placeOf(lot)) ?? []), lot]);
  return [...byPlace.entries()].sort(([a], [b]) => a.localeCompare(b));
};

/** The time of day to the second: a recall is told within moments, so minutes would hide the order. */
const clock = (iso: string): string => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * Whether the holder when recalled was told by its webhook subscription, in
 * words with a symbol (the colour only adds to them): told and when, still
 * being tried, refused or given up on, or no subscription to tell.
 */
const toldBadge = (told: RecallTold | null): HTMLElement => {
  const badgeOf = (kind: string, symbol: string, ...text: (Node | string)[]) =>
    h('span', { class: `badge told-${kind}`, 'data-told': kind }, h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, symbol), ' ', ...text);
  if (told === null) return badgeOf('none', '–', 'no subscriber');
  const of = told.subscribers > 1 ? ` (${told.delivered} of ${told.subscribers})` : '';
  if (told.delivered > 0 && told.firstDeliveredAt) {
    return badgeOf('delivered', '✓', 'told ', h('time', { datetime: told.firstDeliveredAt, title: when(told.firstDeliveredAt) }, clock(told.firstDeliveredAt)), of);
  }
  if (told.pending > 0) return badgeOf('pending', '…', 'pending');
  if (told.failed > 0) return badgeOf('failed', '✕', 'failed');
  // Every delivery dropped: the subscription ended or its key was revoked before it went.
  return badgeOf('failed', '✕', 'not sent');
};

const unsold = (lots: RecalledLot[]): number => Math.round(lots.reduce((sum, l) => sum + (l.remaining ?? 0), 0) * 1000) / 1000;

const groupSection = ([place, lots]: [string, RecalledLot[]], index: number): HTMLElement =>
  h(
    'section',
    { class: 'facility-group', 'aria-labelledby': `group-${index}` },
    h('h3', { id: `group-${index}` }, place, h('span', { class: 'muted' }, ` — ${lots.length} lot${lots.length === 1 ? '' : 's'}, ${unsold(lots)} unsold`)),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'recall-lots' },
        h('thead', {}, h('tr', {}, ...['Trace code', 'Status', 'Still unsold', 'Held when recalled', 'Recalled at', 'Told'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...lots.map((l) =>
            h(
              'tr',
              { 'data-trace-code': l.traceCode },
              h('th', { scope: 'row' }, hashLink(`#/lots/${encodeURIComponent(l.traceCode)}`, l.traceCode)),
              h('td', {}, l.status ? badge(l.status) : 'not yet projected'),
              h('td', { class: 'num' }, l.remaining === null ? '—' : String(l.remaining)),
              h('td', {}, l.holderWhenRecalled ?? '—'),
              h('td', {}, time(l.recalledAt)),
              h('td', { class: 'told' }, toldBadge(l.told)),
            ),
          ),
        ),
      ),
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

  const show = (pages: Recall[], complete: boolean): void => {
    const lots = pages.flatMap((p) => p.lots);
    const recall = pages[0];
    const catchingUp = lots.length < recall.lotCount;
    status.replaceChildren(
      `${lots.length} of ${recall.lotCount} lot${recall.lotCount === 1 ? '' : 's'} shown, ${unsold(lots)} still unsold`,
      catchingUp ? ' — still catching up' : '',
      complete ? '' : ' (first pages only)',
      '. Updated ',
      time(new Date().toISOString()),
      `; refreshed every ${POLL_MS / 1000} s.`,
    );
    body.replaceChildren(...groups(lots).map(groupSection));
  };

  main.replaceChildren(
    h('p', { class: 'crumbs' }, hashLink('#/lots', '« All lots')),
    h('h1', {}, `Recall ${head.recallId}`),
    facts([
      ['Started from', hashLink(`#/lots/${encodeURIComponent(head.origin)}`, head.origin)],
      ['Source', head.source === 'POSITIVE_TEST' ? 'A positive nucleic-acid test (POSITIVE_TEST)' : 'A regulator (REGULATOR)'],
      ['Reason', head.reason],
      ['Recalled at', time(head.recalledAt)],
      ['Lots reached', String(head.lotCount)],
    ]),
    h('h2', {}, 'Affected lots by the facility holding them'),
    status,
    problems,
    body,
  );
  show(first.pages, first.complete);

  let stopped = false;
  let timer: number | undefined;
  const poll = (): void => {
    timer = window.setTimeout(() => {
      load(null)
        .then((next) => {
          if (stopped) return;
          problems.replaceChildren();
          show(next.pages, next.complete);
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
