import { formatTime, timeZoneOffset } from './i18n.js';

/**
 * Elements built with the DOM API only: text goes in as text nodes, never as
 * HTML, so nothing an API answer holds (a product name, a reason) can become
 * markup or script.
 */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
};

/** A date and time as the regulator reads it: `2026-12-07 17:21` at EPCIS_TIME_ZONE_OFFSET. */
export const when = (iso: string | null | undefined): string => (iso ? formatTime(iso) : '—');

/**
 * A `datetime-local` value (`2026-12-07T17:21`) read as a wall clock at
 * EPCIS_TIME_ZONE_OFFSET, the time the console shows every time in: the
 * instant as ISO 8601, null when the value is no such time.
 */
export const fromLocalInput = (value: string): string | null => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const d = new Date(`${value}${timeZoneOffset()}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

/** A `<time>` element: readable text, machine-readable datetime, the offset on hover. */
export const time = (iso: string | null | undefined): HTMLElement => (iso ? h('time', { datetime: iso, title: `UTC${timeZoneOffset()}` }, when(iso)) : h('span', {}, '—'));

/** A definition list of facts; empty values shown as a dash. */
export const facts = (rows: [string, Child | Child[]][]): HTMLDListElement =>
  h(
    'dl',
    { class: 'facts' },
    rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, ...(value === null || value === undefined || value === '' ? ['—'] : Array.isArray(value) ? value : [value]))]),
  );

/**
 * A table that becomes a list of cards on a narrow screen (console.css):
 * each body cell carries its column's heading, shown beside it there.
 */
export const stacking = (table: HTMLTableElement): HTMLTableElement => {
  const headings = [...(table.tHead?.rows[0]?.cells ?? [])].map((c) => c.textContent ?? '');
  for (const body of table.tBodies) for (const row of body.rows) [...row.cells].forEach((cell, i) => (cell.dataset.label = headings[i] ?? ''));
  table.classList.add('stacking');
  return table;
};

export const hashLink = (hash: string, text: string, attributes: Attributes = {}): HTMLAnchorElement => h('a', { href: hash, ...attributes }, text);
