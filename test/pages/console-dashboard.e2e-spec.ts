import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, watchPageProblems } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { expectConsolePageAtBothWidths, LANGS, say } from '../support/console-page';
import { registerLot, registerNetwork, scanBody, scanOk, type Network } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The regulator's dashboard (#/dashboard) in a real Chromium, in Chinese and
 * in English: every number it shows equals the number of items of the API
 * list it names (all pages), reasons are words, no raw code is visible, and
 * it passes axe-core at desktop width and 390 px without overflowing.
 */

describeNeeding('chromium', __filename)("regulator's dashboard (e2e, real PostgreSQL, real Chromium)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let n: Network;
  let pageProblems: string[] = [];

  /** Every item of an API list, following nextCursor. */
  const countOf = async (list: string): Promise<number> => {
    let count = 0;
    let cursor: string | null = null;
    do {
      const res: { body: { items: unknown[]; nextCursor: string | null } } = await t
        .http()
        .get(`${list}${list.includes('?') ? '&' : '?'}limit=1000${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      count += res.body.items.length;
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    return count;
  };

  const atWarehouse = async (): Promise<string> => {
    const { traceCode } = await registerLot(t, n);
    await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'T-1' } });
    await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    return traceCode;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
    n = await registerNetwork(t);
    await registerLot(t, n);
    const locked = await atWarehouse();
    await t.http().post(`/api/lots/${locked}/lock`).send({ reason: 'suspect seal' }).expect(200);
    await t.http().post(`/api/lots/${await atWarehouse()}/recall`).send({ reason: 'positive sample' }).expect(201);
    const strayed = await atWarehouse();
    const last = await scanOk(t, { traceCode: strayed, facilityId: n.store, action: 'SAMPLE' });
    await t.http().post('/api/scans').send(scanBody({ traceCode: locked, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market })).expect(422);
    // Everything projected before the pages read it.
    await t.http().get(`/api/dashboard?atLeast=${last.position}`).expect(200);
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

  for (const lang of LANGS) {
    it(`shows, in ${lang}, the counts of the API's lists, reasons in words`, async () => {
      context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
      page = await context.newPage();
      pageProblems = watchPageProblems(page);
      await page.goto(`${base}/console`);
      await page.getByLabel(say(lang, 'signIn.tokenLabel')).fill(t.tokens.regulator);
      await page.getByRole('button', { name: say(lang, 'signIn.button') }).click();
      await page.getByRole('heading', { name: say(lang, 'lots.title'), level: 1 }).waitFor();
      await page.getByRole('link', { name: say(lang, 'nav.dashboard') }).click();
      await page.getByRole('heading', { name: say(lang, 'dashboard.title'), level: 1 }).waitFor();

      const shown: { metric: string; list: string; text: string }[] = await page.$$eval('[data-metric]', (els) =>
        els.map((e) => ({ metric: e.getAttribute('data-metric')!, list: e.getAttribute('data-list')!, text: e.textContent ?? '' })),
      );
      expect(shown.map((s) => s.metric)).toEqual(expect.arrayContaining(['lotsNotSellable', 'openViolations', 'recallsInProgress', 'scans', 'refusals', 'reason.LOT_LOCKED']));
      for (const s of shown) {
        expect({ metric: s.metric, count: Number(s.text.replace(/\D/g, '')) }).toEqual({ metric: s.metric, count: await countOf(s.list) });
      }
      expect(shown.find((s) => s.metric === 'refusals')?.text).toBe('1');
      expect(shown.find((s) => s.metric === 'openViolations')?.text).toBe('1');
      // Reasons in words, each a link to the lots list filtered by it.
      await page.getByRole('link', { name: say(lang, 'reason.LOT_LOCKED') }).waitFor();
      // No raw code, axe-core and nothing wider than the screen, at desktop width and 390 px.
      await expectConsolePageAtBothWidths(page, `console-dashboard${lang === 'en' ? '-en' : ''}`);

      // The blocked lots' figure opens the lots list with the same filter.
      await page.locator('a.figure-link').first().click();
      await page.getByRole('heading', { name: say(lang, 'lots.title'), level: 1 }).waitFor();
      expect(new URL(page.url()).hash).toBe('#/lots?status=BLOCKED');
    });
  }
});
