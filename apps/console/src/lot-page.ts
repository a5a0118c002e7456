import { allPages, ApiFailure, get, lotPath } from './api.js';
import { facts, h, hashLink, time, when } from './dom.js';
import { facility, facilityText, loadFacilityNames } from './facilities.js';
import { codeText, country, num, t, tn } from './i18n.js';
import { problem } from './flash.js';
import { lotActions } from './lot-actions.js';
import { violationsSection } from './resolve-violation.js';
import { lotDownloads } from './downloads.js';
import { genealogySection, mergeTraces } from './genealogy-graph.js';
import { temperatureSection } from './temperature-section.js';
import { badge, reasonText, verdictBadge } from './status.js';
import type { Eligibility, History, HistoryEvent, Lot, Trace } from './types.js';

const HISTORY_PAGE = 50;

/** Fields of an event's data worth a line, and how each value is said: a code in words, a facility by name. */
const DETAIL_FIELDS: [key: string, say: (v: string | number, e: HistoryEvent) => string][] = [
  ['action', (v) => codeText('action', String(v))],
  ['reason', String],
  ['documentType', (v) => codeText('document', String(v))],
  ['type', (v) => codeText('document', String(v))],
  // A temperature finding's kind is its own (an excursion, an abuse, a gap); any other event's a violation's.
  ['kind', (v, e) => codeText(e.type === 'TemperatureFindingRecorded' ? 'temperatureFinding' : 'violation', String(v))],
  ['flag', (v) => codeText('flag', String(v))],
  ['result', (v) => codeText('testResult', String(v))],
  ['toFacilityId', (v) => facilityText(String(v))],
  ['zoneId', String],
  ['quantity', (v) => (typeof v === 'number' ? num(v) : v)],
  ['ancestor', String],
  ['recallId', String],
  ['message', String],
  ['deviceId', String],
  ['count', (v) => (typeof v === 'number' ? num(v) : v)],
];

/** A line of what an event says, beyond its type: the reason, quantity, place or document it names. */
const eventDetail = (e: HistoryEvent): string =>
  DETAIL_FIELDS.flatMap(([key, say]) => {
    const v = e.data[key];
    return typeof v === 'string' || typeof v === 'number' ? [`${codeText('detail', key)}: ${say(v, e)}`] : [];
  }).join(' · ');

/** An event where and when it happened; when it was recorded too, where that reads differently (a late upload, a correction). */
const historyItem = (e: HistoryEvent): HTMLElement =>
  h(
    'li',
    { 'data-event-type': e.type, 'data-occurred-at': e.occurredAt },
    h('div', { class: 'when' }, time(e.occurredAt), when(e.recordedAt) !== when(e.occurredAt) ? h('span', { class: 'recorded muted' }, t('lot.recordedAt', { time: when(e.recordedAt) })) : null),
    h(
      'div',
      { class: 'what' },
      h('strong', {}, codeText('event', e.type)),
      e.facilityId ? t('lot.historyAt', { facility: facilityText(e.facilityId) }) : '',
      e.actor ? h('span', { class: 'muted' }, e.actor.role ? t('lot.historyBy', { name: e.actor.name, role: codeText('role', e.actor.role) }) : t('lot.historyByNoRole', { name: e.actor.name })) : '',
      eventDetail(e) ? h('div', { class: 'detail' }, eventDetail(e)) : null,
    ),
  );

const where = (lot: Lot): string => {
  if (lot.holder) {
    const held = { facility: facilityText(lot.holder.facilityId), type: codeText('facilityType', lot.holder.facilityType) };
    return lot.holder.zoneId ? t('lot.whereHeldZone', { ...held, zone: lot.holder.zoneId }) : t('lot.whereHeld', held);
  }
  return lot.inTransit ? t('lot.inTransit', { from: facilityText(lot.inTransit.fromFacilityId), to: facilityText(lot.inTransit.toFacilityId) }) : '—';
};

/** The facilities a page of history names, so they show by name. */
const facilitiesOf = (events: HistoryEvent[]): (string | null)[] => events.flatMap((e) => [e.facilityId, typeof e.data.toFacilityId === 'string' ? e.data.toFacilityId : null]);

export const renderLot = async (main: HTMLElement, traceCode: string, query: URLSearchParams): Promise<() => void> => {
  const atLeast = query.get('atLeast');
  const read = { atLeast };
  const path = lotPath(traceCode);
  const traceOf = (direction: 'backward' | 'forward') => allPages((cursor) => get<Trace>(`${path}/trace`, { direction, cursor, ...read }));
  // Beside the rest, not before it: its failure stays in its own section.
  const temperatures = temperatureSection(traceCode);
  const [lot, eligibility, history, backward, forward] = await Promise.all([
    get<Lot>(path, read),
    get<Eligibility>(`${path}/sale-eligibility`, read),
    get<History>(`${path}/history`, { limit: HISTORY_PAGE, order: 'occurred', ...read }),
    traceOf('backward'),
    traceOf('forward'),
  ]).catch((e: unknown) => {
    if (e instanceof ApiFailure && e.status === 404) throw new ApiFailure(404, e.code, t('lot.notFound', { traceCode }));
    throw e;
  });
  await loadFacilityNames([
    lot.holder?.facilityId,
    lot.inTransit?.fromFacilityId,
    lot.inTransit?.toFacilityId,
    lot.portOfEntryId,
    ...lot.violations.map((v) => v.facilityId),
    ...lot.flags.map((f) => f.facilityId),
    ...facilitiesOf(history.events),
    ...[...backward.pages, ...forward.pages].flatMap((p) => p.lots.flatMap((l) => [l.holder?.facilityId, l.inTransit?.toFacilityId])),
  ]);
  const genealogy = mergeTraces([...backward.pages, ...forward.pages], backward.complete && forward.complete);
  const graph = genealogySection(genealogy, lot.traceCode);
  const temperature = await temperatures;

  const timeline = h('ol', { class: 'timeline', id: 'history' }, ...history.events.map(historyItem));
  let cursor = history.nextCursor;
  const more = h('button', { type: 'button', hidden: cursor === null }, t('lot.moreEvents'));
  more.addEventListener('click', () => {
    more.disabled = true;
    get<History>(`${path}/history`, { limit: HISTORY_PAGE, order: 'occurred', cursor })
      .then(async (page) => {
        await loadFacilityNames(facilitiesOf(page.events));
        timeline.append(...page.events.map(historyItem));
        cursor = page.nextCursor;
        more.hidden = cursor === null;
      })
      .catch((e: unknown) => more.after(problem(e)))
      .finally(() => (more.disabled = false));
  });

  const locks = [
    ...(lot.lock ? [h('li', {}, t('lot.lockedSince', { source: codeText('lockSource', lot.lock.source), time: when(lot.lock.lockedAt), reason: lot.lock.reason }))] : []),
    ...lot.ancestorLocks.map((l) => h('li', {}, t('lot.lockedThrough', { ancestor: l.ancestor, time: when(l.lockedAt), reason: l.reason }), ' ', hashLink(`#/lots/${encodeURIComponent(l.ancestor)}`, l.ancestor))),
  ];

  const sections: (HTMLElement | null)[] = [
    h('p', { class: 'crumbs' }, hashLink('#/lots', t('lot.allLots'))),
    h('h1', {}, t('lot.title', { traceCode: lot.traceCode })),
    // Whether it may be sold, then where it is: two badges, never one for both.
    h('p', { class: 'lot-badges', id: 'lot-badges' }, verdictBadge(eligibility.allowed, eligibility.reasons), ' ', badge(lot.status)),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { 'aria-labelledby': 'facts-heading' },
        h('h2', { id: 'facts-heading' }, t('lot.facts')),
        facts([
          [t('lot.product'), lot.product ? `${lot.product.name} (${codeText('category', lot.product.category)})` : null],
          [t('lot.status'), badge(lot.status)],
          [t('lot.origin'), lot.originCountries.map(country).join(', ')],
          [t('lot.importer'), lot.importers.join('; ')],
          [t('lot.quantity'), lot.quantity ? t('lot.quantityLeft', { remaining: lot.quantity.remaining, initial: lot.quantity.initial, unit: codeText('unit', lot.quantity.unit) }) : null],
          [t('lot.portOfEntry'), lot.portOfEntryId ? facility(lot.portOfEntryId) : null],
          [t('lot.entered'), time(lot.enteredAt)],
          [t('lot.where'), where(lot)],
          [t('lot.parents'), lot.parents.length ? lot.parents.flatMap((p, i) => [i ? ', ' : '', hashLink(`#/lots/${encodeURIComponent(p.traceCode)}`, p.traceCode)]) : null],
          [t('lot.children'), lot.children.length ? lot.children.flatMap((c, i) => [i ? ', ' : '', hashLink(`#/lots/${encodeURIComponent(c.traceCode)}`, c.traceCode)]) : null],
          [t('lot.recalls'), lot.recalls.length ? lot.recalls.flatMap((r, i) => [i ? ', ' : '', hashLink(`#/recalls/${encodeURIComponent(r.recallId)}`, `${r.recallId} (${r.reason})`)]) : null],
          [t('lot.destroyed'), lot.destroyed ? [time(lot.destroyed.destroyedAt), `: ${lot.destroyed.reason}`] : null],
        ]),
      ),
      h(
        'section',
        { 'aria-labelledby': 'sale-heading' },
        h('h2', { id: 'sale-heading' }, t('lot.sale')),
        h('p', { class: eligibility.allowed ? 'verdict ok' : 'verdict blocked', id: 'sale-verdict' }, eligibility.allowed ? `✓ ${t('lot.saleYes')}` : `⊘ ${tn('lot.saleNo', eligibility.reasons.length)}`),
        eligibility.reasons.length
          ? h('ul', { id: 'blocking-reasons' }, ...eligibility.reasons.map((r) => h('li', { 'data-code': r.code, title: r.message }, reasonText(r))))
          : null,
        h('p', { class: 'muted' }, t('lot.judgedAt', { time: when(eligibility.evaluatedAt) })),
        locks.length ? h('div', {}, h('h3', {}, t('lot.locks')), h('ul', {}, ...locks)) : null,
        lotActions(lot),
      ),
    ),
    graph.section,
    lotDownloads(lot.traceCode, atLeast),
    violationsSection(lot),
    temperature,
    h(
      'section',
      { 'aria-labelledby': 'documents-heading' },
      h('h2', { id: 'documents-heading' }, t('lot.papers')),
      lot.documents.length
        ? h(
            'ul',
            {},
            ...lot.documents.map((d) =>
              h(
                'li',
                { 'data-code': d.type },
                t('lot.paper', { type: codeText('document', d.type), number: d.number, issuer: d.issuer, issued: when(d.issuedAt) }),
                d.result ? t('lot.paperResult', { result: codeText('testResult', d.result) }) : '',
                d.validUntil ? t('lot.paperValidUntil', { time: when(d.validUntil) }) : '',
              ),
            ),
          )
        : h('p', {}, t('lot.noPapers')),
    ),
    lot.flags.length
      ? h(
          'section',
          { 'aria-labelledby': 'flags-heading' },
          h('h2', { id: 'flags-heading' }, t('lot.flags')),
          h('ul', {}, ...lot.flags.map((f) => h('li', { 'data-code': f.flag, title: f.message }, codeText('flag', f.flag), f.facilityId ? t('lot.historyAt', { facility: facilityText(f.facilityId) }) : '', ', ', time(f.occurredAt)))),
        )
      : null,
    h('section', { 'aria-labelledby': 'history-heading' }, h('h2', { id: 'history-heading' }, t('lot.history')), h('p', { class: 'help' }, t('lot.historyHelp')), timeline, more),
  ];
  main.replaceChildren(...sections.filter((s): s is HTMLElement => s !== null));
  graph.mount();
  return () => {
    window.coldtraceGraph?.destroy();
    window.coldtraceGraph = undefined;
  };
};
