/**
 * HTML built from template literals, every interpolated value escaped unless
 * it is already HTML made here: a trace code, a facility or product name, an
 * issuer all come from outside, and a page must never carry their markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and for quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Nothing (null, undefined, false) renders as nothing; arrays render each item; HTML made by `html` stays as it is. */
const render = (value: unknown): string => {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

/** `html\`<p>${name}</p>\``: the literal parts as written, each value escaped. */
export const html = (strings: TemplateStringsArray, ...values: unknown[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
