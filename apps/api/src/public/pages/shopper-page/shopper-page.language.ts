/** The languages the shopper's page speaks. */
export const PAGE_LANGUAGES = ['zh', 'en'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

const isPageLanguage = (value: unknown): value is PageLanguage => typeof value === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(value);

/** `Accept-Language` as [primary tag, weight], in the header's order; a malformed entry is skipped. */
const preferences = (header: string): { tag: string; q: number }[] =>
  header.split(',').flatMap((entry) => {
    const [range, ...params] = entry.trim().split(';');
    const tag = range.trim().toLowerCase().split('-')[0];
    if (!/^[a-z]{1,8}$/.test(tag) && tag !== '*') return [];
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) && q > 0 && q <= 1 ? [{ tag, q }] : [];
  });

/**
 * `?lang=zh|en` wins; else the first of Chinese or English the browser
 * prefers most (`zh-CN`, `zh-Hant`... are Chinese); else English, which
 * visitors from anywhere else are likelier to read. An unknown `?lang` is
 * ignored, never an error: a shopper only ever sees a page.
 */
export const pageLanguage = (lang: unknown, acceptLanguage: string | undefined): PageLanguage => {
  if (isPageLanguage(lang)) return lang;
  const ranked = preferences(acceptLanguage ?? '')
    .map((p, order) => ({ ...p, order }))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked.map((p) => p.tag).find(isPageLanguage) ?? 'en';
};
