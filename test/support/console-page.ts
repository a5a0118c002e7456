import { en, type MessageKey } from '../../apps/console/src/messages-en';
import { zhCN } from '../../apps/console/src/messages-zh-cn';

/** What the console's browser tests share: its languages, its messages as it says them, the checks every page passes. */
export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
const CATALOGUES = { 'zh-CN': zhCN, en };

/** A message as the console says it in `lang`, `{name}` filled (the tests use no number above 999, so no grouping). */
export const say = (lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string =>
  CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));

/** A time as the console shows every time: `2026-12-07 17:21` at EPCIS_TIME_ZONE_OFFSET (+08:00 in tests). */
export const atOffset = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Every visible text node on the page that is a bare code (`NOT_AT_RETAIL_STORE`): none should be. */
export const RAW_CODES_SHOWN = `(() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    if (/^[A-Z_]{6,}$/.test(text) && node.parentElement && node.parentElement.checkVisibility()) found.push(text);
  }
  return found;
})()`;
