import { get } from './api.js';
import { h, hashLink, stacking, time } from './dom.js';
import { allFacilities, facility, facilityText, loadFacilityNames } from './facilities.js';
import { codeText, codesOf, countries, country, language, num, t, tn } from './i18n.js';
import type { MessageKey } from './messages-en.js';
import { badge, statusText, verdictBadge } from './status.js';
import type { LotList } from './types.js';

/** GET /api/lots's filters, in the form and in the page's address (#/lots?status=...). */
const FILTERS = ['status', 'facilityId', 'importer', 'originCountry', 'category', 'reason'] as const;
const PAGE_SIZE = 25;
const COLUMNS: MessageKey[] = ['lots.col.traceCode', 'lots.col.sale', 'lots.col.status', 'lots.col.heldAt', 'lots.col.origin', 'lots.col.importer', 'lots.col.category', 'lots.col.quantity', 'lots.col.entered'];
const FILTER_LABELS: Record<(typeof FILTERS)[number], MessageKey> = {
  status: 'lots.filter.status',
  facilityId: 'lots.filter.facilityId',
  importer: 'lots.filter.importer',
  originCountry: 'lots.filter.originCountry',
  category: 'lots.filter.category',
  reason: 'lots.filter.reason',
};

/** A filter's value as the summary says it: codes in words. */
const filterValue = (filter: (typeof FILTERS)[number], v: string): string => {
  if (filter === 'status') return v === 'ALLOWED' ? t('lots.filter.allowed') : v === 'BLOCKED' ? t('lots.filter.blocked') : statusText(v);
  if (filter === 'category') return codeText('category', v);
  if (filter === 'reason') return codeText('reason', v);
  if (filter === 'originCountry') return country(v);
  if (filter === 'facilityId') return facilityText(v);
  return v;
};

const select = (id: string, label: string, value: string, options: [string, string][]): HTMLElement[] => [
  h('label', { for: id }, label),
  h('select', { id, name: id }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))),
];

const textField = (id: string, label: string, value: string): HTMLElement[] => [
  h('label', { for: id }, label),
  h('input', { id, name: id, type: 'text', value, autocomplete: 'off' }),
];

const listHash = (query: URLSearchParams): string => {
  const qs = query.toString();
  return qs ? `#/lots?${qs}` : '#/lots';
};

export const renderLots = async (main: HTMLElement, query: URLSearchParams): Promise<() => void> => {
  const value = (k: string) => query.get(k) ?? '';
  // Facilities and countries are chosen from lists, by name: nobody should have to know an id.
  const { facilities } = await allFacilities();
  const facilityChoices = [...facilities].sort((a, b) => a.name.localeCompare(b.name, language())).map((f): [string, string] => [f.id, `${f.name} (${f.id})`]);
  const countryChoices = countries().map((c): [string, string] => [c.code, `${c.name} (${c.code})`]);
  const form = h(
    'form',
    { class: 'filters', 'aria-label': t('lots.filters') },
    h(
      'div',
      { class: 'filter-grid' },
      h(
        'div',
        {},
        ...select('status', t('lots.filter.status'), value('status'), [
          ['', t('lots.filter.anyStatus')],
          ['ALLOWED', t('lots.filter.allowed')],
          ['BLOCKED', t('lots.filter.blocked')],
          ['LOCKED', statusText('LOCKED')],
          ['RECALLED', statusText('RECALLED')],
        ]),
      ),
      h('div', {}, ...select('facilityId', t('lots.filter.facilityId'), value('facilityId'), [['', t('lots.filter.anyFacility')], ...facilityChoices])),
      h('div', {}, ...textField('importer', t('lots.filter.importer'), value('importer'))),
      h('div', {}, ...select('originCountry', t('lots.filter.originCountry'), value('originCountry'), [['', t('lots.filter.anyCountry')], ...countryChoices])),
      h('div', {}, ...select('category', t('lots.filter.category'), value('category'), [['', t('lots.filter.anyCategory')], ...codesOf('category').map((c): [string, string] => [c, codeText('category', c)])])),
      h('div', {}, ...select('reason', t('lots.filter.reason'), value('reason'), [['', t('lots.filter.anyReason')], ...codesOf('reason').map((r): [string, string] => [r, codeText('reason', r)])])),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('lots.apply')), ' ', hashLink('#/lots', t('lots.clear'), { class: 'button-link' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      const v = field?.value.trim() ?? '';
      if (v) next.set(name, v);
    }
    location.hash = listHash(next);
  });

  const params: Record<string, string> = { limit: String(PAGE_SIZE) };
  for (const name of [...FILTERS, 'cursor']) if (query.get(name)) params[name] = query.get(name)!;
  const list = await get<LotList>('/api/lots', params);
  await loadFacilityNames(list.items.map((l) => l.holderFacilityId));

  const active = FILTERS.filter((f) => query.get(f)).map((f) => `${t(FILTER_LABELS[f])}: ${filterValue(f, query.get(f)!)}`);
  const rows = list.items.map((lot) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, hashLink(`#/lots/${encodeURIComponent(lot.traceCode)}`, lot.traceCode)),
      h('td', {}, verdictBadge(lot.allowed, lot.reasons)),
      h('td', {}, badge(lot.status)),
      h('td', {}, facility(lot.holderFacilityId)),
      h('td', {}, lot.originCountries.map(country).join(', ') || '—'),
      h('td', {}, lot.importers.join('; ') || '—'),
      h('td', {}, lot.category ? codeText('category', lot.category) : '—'),
      h('td', { class: 'num' }, lot.quantity ? `${num(lot.quantity.remaining)} / ${num(lot.quantity.initial)} ${codeText('unit', lot.quantity.unit)}` : '—'),
      h('td', {}, time(lot.enteredAt)),
    ),
  );
  const firstPage = new URLSearchParams(query);
  firstPage.delete('cursor');
  const nextPage = new URLSearchParams(query);
  if (list.nextCursor) nextPage.set('cursor', list.nextCursor);

  main.replaceChildren(
    h('h1', {}, t('lots.title')),
    form,
    h('p', { class: 'summary', role: 'status', id: 'lots-summary' }, tn('lots.summary', list.items.length), active.length ? t('lots.filtered', { filters: active.join(', ') }) : '', language() === 'en' ? '.' : '。'),
    list.items.length === 0
      ? h('p', { class: 'empty' }, t('lots.empty'))
      : h(
          'div',
          { class: 'table-wrap' },
          stacking(
            h(
              'table',
              { class: 'lots' },
              h('caption', {}, t('lots.caption')),
              h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col' }, t(c))))),
              h('tbody', {}, ...rows),
            ),
          ),
        ),
    h(
      'nav',
      { class: 'pager', 'aria-label': t('lots.pages') },
      query.get('cursor') ? hashLink(listHash(firstPage), t('lots.firstPage')) : null,
      ' ',
      list.nextCursor ? hashLink(listHash(nextPage), t('lots.nextPage'), { rel: 'next' }) : h('span', {}, t('lots.lastPage')),
    ),
  );
  return () => undefined;
};
