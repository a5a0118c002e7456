import { get } from './api.js';
import { h, hashLink, time } from './dom.js';
import { codeText, num, t, tn } from './i18n.js';

/** GET /api/dashboard: every number with the API list it counts. */
interface Counted {
  count: number;
  list: string;
}

interface Dashboard {
  at: string;
  lotsNotSellable: Counted & { byReason: (Counted & { reason: string })[] };
  openViolations: Counted;
  recallsInProgress: Counted & { unsold: { unit: string; quantity: number }[]; holders: number; told: number };
  scans: Counted;
  refusals: Counted;
}

interface RecallSummary {
  recallId: string;
  reason: string;
  recalledAt: string;
  lotCount: number;
  unsold: { unit: string; quantity: number }[];
}

/** Recalls named under the count; the rest are one click away on each recall's page. */
const RECALLS_SHOWN = 20;

/** Goods in words and local numbers: `100 kg, 12 cartons`. */
const goods = (unsold: { unit: string; quantity: number }[]): string =>
  unsold.length ? unsold.map((u) => `${num(u.quantity)} ${codeText('unit', u.unit)}`).join(t('dashboard.listSeparator')) : t('dashboard.noGoods');

/**
 * A number of the dashboard, a link where the console has the list it
 * counts (the lots list takes the same filters as the API's): `data-list` is
 * the API list, so what is shown can be checked against it.
 */
const figure = (metric: string, label: string, c: Counted, hash: string | null, ...more: (Node | string)[]): HTMLElement => {
  const value = h('span', { class: 'figure-value', 'data-metric': metric, 'data-list': c.list }, num(c.count));
  return h('div', { class: 'figure' }, h('p', { class: 'figure-label' }, label), hash ? h('a', { href: hash, class: 'figure-link' }, value) : value, ...more);
};

/** The lots list filtered as the API list the count came from (`/api/lots?reason=…` → `#/lots?reason=…`). */
const lotsHash = (list: string): string => `#/lots${list.slice('/api/lots'.length)}`;

export const renderDashboard = async (main: HTMLElement): Promise<() => void> => {
  const [d, recalls] = await Promise.all([
    get<Dashboard>('/api/dashboard'),
    get<{ items: RecallSummary[] }>(`/api/recalls?inProgress=true&limit=${RECALLS_SHOWN}`),
  ]);
  const blocked = d.lotsNotSellable;
  const reasons = blocked.byReason.filter((r) => r.count > 0);
  const r = d.recallsInProgress;
  main.replaceChildren(
    h('h1', {}, t('dashboard.title')),
    h('p', { class: 'help' }, t('dashboard.countedAt'), ' ', time(d.at)),
    h(
      'section',
      { class: 'dashboard-section', 'aria-labelledby': 'dash-lots' },
      h('h2', { id: 'dash-lots' }, t('dashboard.lots')),
      h(
        'div',
        { class: 'figures' },
        figure('lotsNotSellable', t('dashboard.lotsNotSellable'), blocked, lotsHash(blocked.list)),
        figure('openViolations', t('dashboard.openViolations'), d.openViolations, null),
      ),
      reasons.length
        ? h(
            'ul',
            { class: 'reason-counts', 'aria-label': t('dashboard.byReason') },
            reasons.map((x) =>
              h('li', {}, hashLink(lotsHash(x.list), codeText('reason', x.reason)), ' ', h('span', { class: 'count', 'data-metric': `reason.${x.reason}`, 'data-list': x.list }, num(x.count))),
            ),
          )
        : h('p', {}, t('dashboard.noneBlocked')),
    ),
    h(
      'section',
      { class: 'dashboard-section', 'aria-labelledby': 'dash-recalls' },
      h('h2', { id: 'dash-recalls' }, t('dashboard.recalls')),
      h(
        'div',
        { class: 'figures' },
        figure(
          'recallsInProgress',
          t('dashboard.recallsInProgress'),
          r,
          null,
          h('p', {}, t('dashboard.unsold', { goods: goods(r.unsold) })),
          h('p', {}, tn('dashboard.holdersTold', r.holders, { told: num(r.told), holders: num(r.holders) })),
        ),
      ),
      recalls.items.length
        ? h(
            'ul',
            { class: 'recall-list', 'aria-label': t('dashboard.recallsInProgress') },
            recalls.items.map((x) =>
              h('li', {}, hashLink(`#/recalls/${encodeURIComponent(x.recallId)}`, x.reason), ' · ', time(x.recalledAt), ' · ', tn('dashboard.recallLots', x.lotCount, { goods: goods(x.unsold) })),
            ),
          )
        : null,
    ),
    h(
      'section',
      { class: 'dashboard-section', 'aria-labelledby': 'dash-hour' },
      h('h2', { id: 'dash-hour' }, t('dashboard.lastHour')),
      h('div', { class: 'figures' }, figure('scans', t('dashboard.scans'), d.scans, null), figure('refusals', t('dashboard.refusals'), d.refusals, null)),
    ),
  );
  return () => undefined;
};
