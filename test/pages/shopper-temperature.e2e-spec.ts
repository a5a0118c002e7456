import { copyFileSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, PHONE, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { Network, registerLot, registerNetwork, walkToStore } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The shopper's page says the cold chain in one line, with a small chart,
 * from the lot's temperature log: kept in range throughout, or its excursion
 * in words (the API's numbers); nothing for a lot with no log. Server-rendered
 * and with JavaScript off in the browser: the chart is markup, under the
 * page's CSP. On a 360 px phone, in Chinese and English.
 */

const MINUTE = 60_000;
const DOCS_SCREENSHOT_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/** A logger's readings every 5 minutes for three days, ending 5 minutes ago: 864 of them. */
const threeDays = (celsius: (i: number) => number): { at: string; celsius: number }[] => {
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
  return Array.from({ length: 864 }, (_, i) => ({ at: new Date(end - (863 - i) * 5 * MINUTE).toISOString(), celsius: celsius(i) }));
};

describeNeeding('chromium', __filename)("the shopper's page: the cold chain (e2e, real PostgreSQL, Chromium without JavaScript)", () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let n: Network;
  let inRange: string;
  let excursion: string;
  let unlogged: string;
  let excursionOfApi: { durationMinutes: number; extremeCelsius: number };

  const logged = async (celsius: (i: number) => number): Promise<string> => {
    const { traceCode } = await registerLot(t, n);
    await walkToStore(t, n, traceCode);
    const res = await t.http().post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'reefer-1', readings: threeDays(celsius) }).expect(201);
    await t.anonymous().get(`/api/public/lots/${traceCode}?atLeast=${res.body.position}`).expect(200);
    return traceCode;
  };

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimitPerMinute: 10_000 });
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
    n = await registerNetwork(t);
    inRange = await logged((i) => -22 + (i % 12) / 10);
    // 9 readings 5 minutes apart at -10 °C: 45 minutes above -18 °C; above the hard limit (-12 °C) for less than its hour, so no abuse.
    excursion = await logged((i) => (i >= 400 && i < 409 ? -10 : -20));
    unlogged = (await registerLot(t, n)).traceCode;
    await walkToStore(t, n, unlogged);
    const series = (await t.http().get(`/api/lots/${excursion}/temperatures`).expect(200)).body as { excursions: { kind: string; durationMinutes: number; extremeCelsius: number }[] };
    expect(series.excursions.map((e) => e.kind)).toEqual(['EXCURSION']);
    excursionOfApi = series.excursions[0];
    expect((await t.http().get(`/api/lots/${inRange}/temperatures`).expect(200)).body.excursions).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async (context: BrowserContext, path: string): Promise<Page> => {
    const page = await context.newPage();
    const res = await page.goto(`${origin}${path}`);
    expect(res!.status()).toBe(200);
    return page;
  };

  const cases = [
    { lang: 'zh', locale: 'zh-CN', inRange: '全程冷冻 -18 °C 以下', excursion: (m: number, c: number) => `运输中有 1 次温度超出范围，共 ${m} 分钟，最高 ${c} °C` },
    { lang: 'en', locale: 'en-US', inRange: 'Kept frozen at -18 °C or below throughout', excursion: (m: number, c: number) => `Out of its range once on the way, ${m} min in all; highest ${c} °C` },
  ] as const;

  for (const c of cases) {
    it(`says in ${c.lang}, with JavaScript off, the cold chain in one line beside an SVG chart; nothing without a log; fits a phone`, async () => {
      const context = await browser.newContext({ ...PHONE, locale: c.locale, extraHTTPHeaders: { 'accept-language': c.locale }, javaScriptEnabled: false });
      try {
        const kept = await open(context, `/t/${inRange}`);
        expect(await kept.locator('.cold-chain-line').innerText()).toBe(c.inRange);
        const keptChart = kept.locator('section.cold-chain svg[role="img"]');
        expect(await keptChart.count()).toBe(1);
        expect(await keptChart.locator('rect.range').count()).toBe(1);
        expect(await keptChart.locator('rect.excursion').count()).toBe(0);
        expect(await keptChart.locator('desc').textContent()).toBe(c.inRange);

        const page = await open(context, `/t/${excursion}`);
        expect({ minutes: excursionOfApi.durationMinutes, extreme: excursionOfApi.extremeCelsius }).toEqual({ minutes: 45, extreme: -10 });
        const line = c.excursion(Math.round(excursionOfApi.durationMinutes), excursionOfApi.extremeCelsius);
        expect(await page.locator('.cold-chain-line').innerText()).toBe(line);
        const chart = page.locator('section.cold-chain svg[role="img"]');
        expect(await chart.locator('rect.range').count()).toBe(1);
        expect(await chart.locator('rect.excursion[data-kind="EXCURSION"]').count()).toBe(1);
        expect(await chart.locator('path.mean').count()).toBe(1);
        // Drawn although nothing runs: a laid-out box as wide as the card, within the phone's screen.
        const box = (await chart.boundingBox())!;
        expect(box.width).toBeGreaterThan(250);
        expect(box.x + box.width).toBeLessThanOrEqual(360);
        // No style attribute anywhere (the CSP would drop it), no script.
        const dom = await page.content();
        expect(dom).not.toMatch(/<script|\sstyle="/i);
        const name = `shopper-temperature-phone${c.lang === 'en' ? '' : '-zh'}`;
        const file = await screenshot(page, name);
        // The README shows the Chinese one.
        if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' && c.lang === 'zh') {
          mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
          copyFileSync(file, join(DOCS_SCREENSHOT_DIR, `${name}.png`));
        }

        const none = await open(context, `/t/${unlogged}`);
        expect(await none.locator('section.cold-chain').count()).toBe(0);
      } finally {
        await context.close();
      }
      // axe-core and the page's width need a script of the test's own in the page: a second phone, with JavaScript.
      const checking = await browser.newContext({ ...PHONE, locale: c.locale, extraHTTPHeaders: { 'accept-language': c.locale } });
      try {
        const page = await open(checking, `/t/${excursion}`);
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
      } finally {
        await checking.close();
      }
    });
  }
});
