import { get } from './api.js';
import { h, hashLink, time } from './dom.js';
import { badge } from './status.js';
import type { LotList } from './types.js';

/** GET /api/lots's filters, in the form and in the page's address (#/lots?status=...). */
const FILTERS = ['status', 'facilityId', 'importer', 'originCountry', 'category', 'reason'] as const;
const PAGE_SIZE = 25;

const select = (id: string, label: string, value: string, options: [string, string][]): HTMLElement[] => [
  h('label', { for: id }, label),
  h('select', { id, name: id }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))),
];

const text = (id: string, label: string, value: string, extra: Record<string, string> = {}): HTMLElement[] => [
  h('label', { for: id }, label),
  h('input', { id, name: id, type: 'text', value, autocomplete: 'off', ...extra }),
];

const listHash = (query: URLSearchParams): string => {
  const qs = query.toString();
  return qs ? `#/lots?${qs}` : '#/lots';
};

export const renderLots = async (main: HTMLElement, query: URLSearchParams): Promise<() => void> => {
  const value = (k: string) => query.get(k) ?? '';
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter lots' },
    h(
      'div',
      { class: 'filter-grid' },
      h('div', {}, ...select('status', 'Status', value('status'), [['', 'Any status'], ['ALLOWED', 'Allowed for sale'], ['BLOCKED', 'Blocked'], ['LOCKED', 'Locked'], ['RECALLED', 'Recalled']])),
      h('div', {}, ...text('facilityId', 'Facility holding it', value('facilityId'), { placeholder: 'e.g. CW-01' })),
      h('div', {}, ...text('importer', 'Importer', value('importer'))),
      h('div', {}, ...text('originCountry', 'Origin country (ISO code)', value('originCountry'), { placeholder: 'e.g. BR', maxlength: '2' })),
      h('div', {}, ...select('category', 'Category', value('category'), [['', 'Any category'], ['FROZEN', 'Frozen'], ['CHILLED', 'Chilled'], ['FRUIT', 'Fruit']])),
      h('div', {}, ...text('reason', 'Blocked for reason (code)', value('reason'), { placeholder: 'e.g. TRACE_INCOMPLETE' })),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply filters'), ' ', hashLink('#/lots', 'Clear filters', { class: 'button-link' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      const v = field?.value.trim() ?? '';
      if (v) next.set(name, name === 'originCountry' ? v.toUpperCase() : v);
    }
    location.hash = listHash(next);
  });

  const params: Record<string, string> = { limit: String(PAGE_SIZE) };
  for (const name of [...FILTERS, 'cursor']) if (query.get(name)) params[name] = query.get(name)!;
  const list = await get<LotList>('/api/lots', params);

  const active = FILTERS.filter((f) => query.get(f)).map((f) => `${f} = ${query.get(f)}`);
  const rows = list.items.map((lot) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, hashLink(`#/lots/${encodeURIComponent(lot.traceCode)}`, lot.traceCode)),
      h('td', {}, badge(lot.status)),
      h('td', {}, lot.allowed ? 'Yes' : 'No'),
      h('td', {}, lot.reasons.length === 0 ? '—' : h('ul', { class: 'codes' }, ...lot.reasons.map((r) => h('li', { title: r.message }, h('code', {}, r.code))))),
      h('td', {}, lot.holderFacilityId ?? '—'),
      h('td', {}, lot.originCountries.join(', ') || '—'),
      h('td', {}, lot.importers.join('; ') || '—'),
      h('td', {}, lot.category ?? '—'),
      h('td', { class: 'num' }, lot.quantity ? `${lot.quantity.remaining} / ${lot.quantity.initial} ${lot.quantity.unit}` : '—'),
      h('td', {}, time(lot.enteredAt)),
    ),
  );
  const firstPage = new URLSearchParams(query);
  firstPage.delete('cursor');
  const nextPage = new URLSearchParams(query);
  if (list.nextCursor) nextPage.set('cursor', list.nextCursor);

  main.replaceChildren(
    h('h1', {}, 'Lots'),
    form,
    h('p', { class: 'summary', role: 'status', id: 'lots-summary' }, `${list.items.length} lot${list.items.length === 1 ? '' : 's'} on this page`, active.length ? ` (filtered: ${active.join(', ')})` : '', '.'),
    list.items.length === 0
      ? h('p', { class: 'empty' }, 'No lot matches these filters.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'lots' },
            h('caption', {}, 'Lots in trace-code order; remaining / initial quantity'),
            h(
              'thead',
              {},
              h('tr', {}, ...['Trace code', 'Status', 'May be sold', 'Blocked for', 'Held at', 'Origin', 'Importer', 'Category', 'Quantity left', 'Entered'].map((c) => h('th', { scope: 'col' }, c))),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Pages of lots' },
      query.get('cursor') ? hashLink(listHash(firstPage), '« First page') : null,
      ' ',
      list.nextCursor ? hashLink(listHash(nextPage), 'Next page »', { rel: 'next' }) : h('span', {}, 'Last page'),
    ),
  );
  return () => undefined;
};
