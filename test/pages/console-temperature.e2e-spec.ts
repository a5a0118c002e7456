import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, watchPageProblems } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { atOffset, expectConsolePageAtBothWidths, LANGS, say, type Lang } from '../support/console-page';
import { chartResolution } from '../../apps/console/src/temperature-chart';
import { registerLot, registerNetwork, walkToStore, type Network } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The lot page's temperature section in a real Chromium, in Chinese and in
 * English: a three-day log with three hours at -5 °C (an excursion and,
 * within it, an abuse) drawn as an SVG chart whose range band, excursion
 * marks and time axis are the API's (GET /api/lots/:traceCode/temperatures),
 * with the same numbers in words; a lot with no log says so. No raw code,
 * axe-core, fits 390 px.
 */

const MINUTE = 60_000;

/** A logger's readings every 5 minutes for three days, ending 5 minutes ago: 864 of them. */
const threeDays = (celsius: (i: number) => number): { at: string; celsius: number }[] => {
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
  return Array.from({ length: 864 }, (_, i) => ({ at: new Date(end - (863 - i) * 5 * MINUTE).toISOString(), celsius: celsius(i) }));
};

interface Series {
  readings: number;
  range: { minCelsius: number | null; maxCelsius: number | null };
  points: { at: string; celsius: number; min: number; max: number }[];
  excursions: { kind: 'EXCURSION' | 'ABUSE'; from: string; to: string; durationMinutes: number; extremeCelsius: number }[];
  gaps: { minutes: number }[];
}

describeNeeding('chromium', __filename)("the lot page's temperature chart (e2e, real PostgreSQL, real Chromium)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let n: Network;
  let pageProblems: string[] = [];
  let abused: string;
  let unlogged: string;
  let series: Series;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
    n = await registerNetwork(t);
    abused = (await registerLot(t, n)).traceCode;
    await walkToStore(t, n, abused);
    // 36 readings (3 h) at -5 °C from the 400th on, -20 °C (and a little above) elsewhere.
    const upload = await t
      .http()
      .post(`/api/lots/${abused}/temperatures`)
      .send({ deviceId: 'reefer-1', readings: threeDays((i) => (i >= 400 && i < 436 ? -5 : -20 - (i % 6) / 5)) })
      .expect(201);
    expect(upload.body.held).toBe(true);
    // As the console asks for it: buckets of several readings, each with its min–max.
    series = (await t.http().get(`/api/lots/${abused}/temperatures?resolution=${chartResolution()}`).expect(200)).body as Series;
    expect(series.points.length).toBeLessThanOrEqual(chartResolution());
    expect(series.readings).toBe(864);
    expect(series.excursions.map((e) => e.kind).sort()).toEqual(['ABUSE', 'EXCURSION']);
    unlogged = (await registerLot(t, n)).traceCode;
    // The lot pages read the projection: wait until it has the upload.
    await t.http().get(`/api/lots/${abused}?atLeast=${upload.body.position}`).expect(200);
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(pageProblems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signInAndOpen = async (lang: Lang, traceCode: string): Promise<void> => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
    page = await context.newPage();
    pageProblems = watchPageProblems(page);
    await page.goto(`${base}/console`);
    await page.getByLabel(say(lang, 'signIn.tokenLabel')).fill(t.tokens.regulator);
    await page.getByRole('button', { name: say(lang, 'signIn.button') }).click();
    await page.getByRole('heading', { name: say(lang, 'lots.title'), level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots/${traceCode}`);
    await page.getByRole('heading', { name: say(lang, 'temperature.title'), level: 2 }).waitFor();
  };

  /** `-5 °C` as the console says it (the test's values need no grouping). */
  const celsius = (lang: Lang, value: number) => say(lang, 'temperature.celsius', { value: String(Math.round(value * 10) / 10) });

  for (const lang of LANGS) {
    it(`draws, in ${lang}, the log's range, excursions and time axis, and says the API's numbers in words`, async () => {
      await signInAndOpen(lang, abused);
      const chart = page.locator('#temperature svg.temperature-chart');
      await chart.waitFor();
      expect(await chart.getAttribute('viewBox')).toMatch(/^0 0 \d+ \d+$/);
      expect(await chart.getAttribute('role')).toBe('img');
      expect(await chart.locator('title').textContent()).toBe(say(lang, 'temperature.chartTitle', { traceCode: abused }));

      // The range band, edged at -18 °C (FROZEN: at most -18, open below): the band starts at that line.
      const band = chart.locator('rect.range');
      expect(await band.count()).toBe(1);
      const bound = chart.locator('line.range-bound');
      expect(await bound.count()).toBe(1);
      expect(await band.getAttribute('y')).toBe(await bound.getAttribute('y1'));
      for (const label of await chart.locator('text.y-label').allTextContents()) expect(label).toMatch(/^-?\d+(\.\d)? °C$/);

      // One mark per excursion of the API, at its times; the abuse outlined and darker.
      const marks = await chart.locator('rect.excursion').evaluateAll((els) =>
        els.map((e) => ({ kind: e.getAttribute('data-kind'), from: e.getAttribute('data-from'), to: e.getAttribute('data-to'), opacity: Number(e.getAttribute('fill-opacity')), outlined: e.hasAttribute('stroke') })),
      );
      expect(marks.map(({ kind, from, to }) => ({ kind, from, to })).sort((a, b) => a.kind!.localeCompare(b.kind!))).toEqual(
        series.excursions.map(({ kind, from, to }) => ({ kind, from, to })).sort((a, b) => a.kind.localeCompare(b.kind)),
      );
      const abuse = marks.find((m) => m.kind === 'ABUSE')!;
      const excursion = marks.find((m) => m.kind === 'EXCURSION')!;
      expect(abuse.outlined && !excursion.outlined && abuse.opacity > excursion.opacity).toBe(true);
      // The means as a line, their min–max as a band under it; the time axis in the console's time format.
      expect(await chart.locator('path.mean').count()).toBe(1);
      expect(await chart.locator('polygon.spread').count()).toBeGreaterThan(0);
      const times = await chart.locator('text.x-label').allTextContents();
      expect(times[0]).toBe(atOffset(series.points[0].at));
      expect(times[times.length - 1]).toBe(atOffset(series.points[series.points.length - 1].at));

      // The same in words, from the API's numbers; the chart's description says it too.
      const low = Math.min(...series.points.map((p) => p.min));
      const high = Math.max(...series.points.map((p) => p.max));
      const longest = Math.round(Math.max(...series.excursions.map((e) => e.durationMinutes)));
      const extreme = Math.max(...series.excursions.map((e) => e.extremeCelsius));
      const separator = say(lang, 'temperature.separator');
      const summary = [
        say(lang, 'temperature.readings.other', { count: 864, min: celsius(lang, low), max: celsius(lang, high) }),
        say(lang, 'temperature.excursions.other', { count: 2, longest, extreme: celsius(lang, extreme) }),
        say(lang, 'temperature.abuses.one', { count: 1 }),
      ].join(separator);
      expect({ low, high, longest, extreme }).toEqual({ low: -21, high: -5, longest: 180, extreme: -5 });
      expect(await page.locator('#temperature-summary').textContent()).toBe(summary);
      expect(await chart.locator('desc').textContent()).toBe(summary);

      await expectConsolePageAtBothWidths(page, `lot-temperature${lang === 'en' ? '-en' : ''}`);
      // At 390 px the chart is as wide as the column, never wider.
      await page.setViewportSize({ width: 390, height: 844 });
      const box = (await chart.boundingBox())!;
      expect(box.x >= 0 && box.x + box.width <= 390).toBe(true);
    });

    it(`says, in ${lang}, that a lot without a log has none, and draws nothing`, async () => {
      await signInAndOpen(lang, unlogged);
      expect(await page.locator('#temperature-summary').textContent()).toBe(say(lang, 'temperature.none'));
      expect(await page.locator('#temperature svg').count()).toBe(0);
    });
  }
});
