import { en, type MessageKey } from '../../apps/console/src/messages-en';
import { zhCN } from '../../apps/console/src/messages-zh-cn';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expectAccessibleConsole, screenshot } from './browser';
import type { TestApp } from './test-app';

/** What the console's browser tests share: its languages, its messages as it says them, its one time format, the raw-code check. */

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

/** The screenshots the docs show (docs/console.md). */
const DOCS_SCREENSHOT_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The innermost visible elements reaching past the screen's right edge (tag#id.class and width), when the page scrolls sideways. */
const WIDER_THAN_THE_SCREEN = `(() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > width + 1 && el.checkVisibility());
  return wide
    .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(el.getBoundingClientRect().width) + 'px');
})()`;

/**
 * One console page as the issue asks of every page: no visible raw code, no
 * serious axe-core violation and nothing wider than the screen, at desktop
 * width and on a 390 px phone; saved as `<name>.png` and `<name>-390.png`.
 * With UPDATE_DOCS_SCREENSHOTS=1, the Chinese ones (names without `-en`) are
 * also written to docs/screenshots/ for docs/console.md (`npm run docs:screenshots`),
 * unless `inReadme` is false (a page the docs show already, in another state).
 */
export const expectConsolePageAtBothWidths = async (page: Page, name: string, inReadme = true): Promise<void> => {
  const desktop = page.viewportSize() ?? { width: 1366, height: 900 };
  const save = async (file: string) => {
    const path = await screenshot(page, file);
    if (inReadme && process.env.UPDATE_DOCS_SCREENSHOTS === '1' && !/-en(-|$)/.test(file)) {
      mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
      copyFileSync(path, join(DOCS_SCREENSHOT_DIR, `${file}.png`));
    }
  };
  expect({ name, rawCodes: await page.evaluate(RAW_CODES_SHOWN) }).toEqual({ name, rawCodes: [] });
  await expectAccessibleConsole(page, `${name} (desktop)`);
  await save(name);
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await expectAccessibleConsole(page, `${name} (390 px)`);
    // Let what lays itself out on a resize (the genealogy graph's canvas) settle first.
    await page.waitForFunction('document.documentElement.scrollWidth <= document.documentElement.clientWidth', undefined, { timeout: 3000 }).catch(() => undefined);
    expect({ name, tooWide: await page.evaluate(WIDER_THAN_THE_SCREEN) }).toEqual({ name, tooWide: [] });
    await save(`${name}-390`);
  } finally {
    await page.setViewportSize(desktop);
  }
};

/** Every lot of a trace, page by page, as the API answers the regulator. */
export const traceCodes = async (t: TestApp, traceCode: string, direction: 'forward' | 'backward'): Promise<string[]> => {
  const codes: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `direction=${direction}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}/trace?${query}`).expect(200);
    const body = res.body as { lots: { traceCode: string }[]; nextCursor: string | null };
    codes.push(...body.lots.map((l) => l.traceCode));
    cursor = body.nextCursor;
  } while (cursor);
  return codes;
};

/**
 * At a 390 px phone's width: what `selector` names (a dialog in the top
 * layer, a form) lies within the screen, nothing inside it wider, no serious
 * axe-core violation; then back to the desktop width.
 */
export const expectFitsPhone = async (page: Page, what: string, selector: string): Promise<void> => {
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const sticksOut = await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll(${JSON.stringify(selector)})].flatMap((root) => [root, ...root.querySelectorAll('*')])
      .filter((el) => el.getBoundingClientRect().left < -1 || el.getBoundingClientRect().right > width + 1)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''));
  })()`);
  expect({ what, sticksOut }).toEqual({ what, sticksOut: [] });
  await expectAccessibleConsole(page, `${what} (390 px)`);
  if (desktop) await page.setViewportSize(desktop);
};
