import { en, type MessageKey, type Messages } from './messages-en.js';
import { zhCN } from './messages-zh-cn.js';

/**
 * The console's languages: Chinese first (its users are market regulators),
 * English too. Chosen as: the switch the user set in this browser, else the
 * browser's own preference (zh* is Chinese, en* English), else Chinese.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const CATALOGUES: Record<Language, Messages> = { 'zh-CN': zhCN, en };
const LANGUAGE_KEY = 'coldtrace.console.language';

const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

const browserLanguage = (): Language => {
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const primary = (tag ?? '').toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return 'zh-CN';
};

const chosen = (): Language => {
  const kept = localStorage.getItem(LANGUAGE_KEY);
  return isLanguage(kept) ? kept : browserLanguage();
};

let current: Language = chosen();
document.documentElement.lang = current;

export const language = (): Language => current;

/** The switch in the header: kept in this browser (localStorage), the page's `lang` follows. */
export const setLanguage = (next: Language): void => {
  localStorage.setItem(LANGUAGE_KEY, next);
  current = next;
  document.documentElement.lang = next;
};

export type Params = Record<string, string | number>;

const fill = (text: string, params: Params): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : typeof value === 'number' ? num(value) : value;
  });

/** A message in the current language, `{name}` filled from params (numbers localised). */
export const t = (key: MessageKey, params: Params = {}): string => fill(CATALOGUES[current][key], params);

/** The keys with `.one` / `.other` variants, named without the variant. */
export type CountedKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never;

/** A counted message: the variant the language's plural rules name for `count` (`.one` or `.other`), `{count}` filled. */
export const tn = (key: CountedKey, count: number, params: Params = {}): string => {
  const messages = CATALOGUES[current];
  const variant = `${key}.${new Intl.PluralRules(current).select(count)}`;
  return fill(variant in messages ? messages[variant as MessageKey] : messages[`${key}.other` as MessageKey], { ...params, count });
};

/** The message for a code of the API (`reason.LOT_RECALLED`); the code itself when the catalogue has none yet. */
export const codeText = (prefix: string, code: string | null | undefined): string => {
  if (!code) return '—';
  const key = `${prefix}.${code}`;
  return key in CATALOGUES[current] ? CATALOGUES[current][key as MessageKey] : code;
};

/** The codes the catalogue names under a prefix (`reason` → every REASON_CODE), in its order: a filter's choices. */
export const codesOf = (prefix: string): string[] => Object.keys(en).filter((k) => k.startsWith(`${prefix}.`)).map((k) => k.slice(prefix.length + 1));

export const num = (n: number): string => new Intl.NumberFormat(current, { maximumFractionDigits: 3 }).format(n);

/** A country's name from the browser's own CLDR data, the ISO code when it has none. */
export const countryName = (code: string): string => {
  try {
    return new Intl.DisplayNames([current], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/** Region codes that name no country (the EU, the UN, private-use and unknown). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);

/** Every ISO 3166 alpha-2 country the browser can name, sorted by name in the current language: a select's choices. */
export const countries = (): { code: string; name: string }[] => {
  const names = new Intl.DisplayNames([current], { type: 'region', fallback: 'none' });
  const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const found: { code: string; name: string }[] = [];
  for (const a of letters)
    for (const b of letters) {
      const code = a + b;
      if (NOT_COUNTRIES.has(code) || code.startsWith('X')) continue;
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      if (name && name !== code) found.push({ code, name });
    }
  return found.sort((x, y) => x.name.localeCompare(y.name, current));
};

/** `Brazil (BR)`, `巴西 (BR)`: the name with the code beside it, as recorded. */
export const country = (code: string): string => {
  const name = countryName(code);
  return name === code ? code : `${name} (${code})`;
};

/**
 * The offset every time is shown in (EPCIS_TIME_ZONE_OFFSET), written into
 * the page by the api as a meta tag (no inline script under the CSP).
 */
export const timeZoneOffset = (): string => document.querySelector('meta[name="coldtrace-time-zone-offset"]')?.getAttribute('content') ?? '+08:00';

const offsetMinutes = (offset: string): number => {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};

/** The wall clock at the offset, as a Date read through its UTC fields. */
const atOffset = (iso: string): Date | null => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : new Date(d.getTime() + offsetMinutes(timeZoneOffset()) * 60_000);
};

const two = (n: number): string => String(n).padStart(2, '0');

/** Every time the console shows, one way in both languages: `2026-12-07 17:21` at the offset. */
export const formatTime = (iso: string): string => {
  const d = atOffset(iso);
  return d ? `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` : iso;
};

/** The time of day to the second (`17:21:39`), where moments apart matter (a recall being told). */
export const formatClock = (iso: string): string => {
  const d = atOffset(iso);
  return d ? `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}` : iso;
};
