import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectConsolePageAtBothWidths, LANGS, say, type Lang } from '../support/console-page';
import { launchBrowser, watchPageProblems } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { minutesAgo, uid } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The administrator's console (/console with an ADMIN key) in a real
 * Chromium against the real API and PostgreSQL: it registers a facility with
 * a zone, creates an OPERATOR key for it (facilities chosen from the list),
 * reads the token shown once, and that token registers a lot through the API;
 * then it revokes the key (after confirming) and the token is refused. In
 * Chinese (the default) and English, chosen by the browser's language; each
 * page checked with axe-core at desktop width and 390 px, shows no raw code,
 * and is saved as a screenshot (test-output/screenshots/console-admin-*.png).
 */
describeNeeding('chromium', __filename)("administrator's console (e2e, real PostgreSQL, real Chromium)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Problems the page reported: script errors, CSP refusals (not the API's 4xx answers, which the console shows). */
  let pageProblems: string[];

  const registerLot = (token: string, traceCode: string, portOfEntryId: string) =>
    t
      .as(token)
      .post('/api/lots')
      .send({
        traceCode,
        product: { name: 'Frozen shrimp', category: 'FROZEN' },
        originCountry: 'EC',
        importer: 'Acme Imports Ltd',
        quantity: { amount: 20, unit: 'KG' },
        portOfEntryId,
        enteredAt: minutesAgo(5),
      });

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  /** A fresh browser whose language is `lang`, as an administrator's browser would be set. */
  const openBrowser = async (lang: Lang) => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
    pageProblems = watchPageProblems(page);
  };

  afterEach(async () => {
    await context?.close();
    expect(pageProblems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(LANGS)('%s: an ADMIN registers a facility, creates an OPERATOR key for it whose token then works, and revokes it after confirming', async (lang) => {
    const m = (key: Parameters<typeof say>[1], params: Record<string, string | number> = {}) => say(lang, key, params);
    await openBrowser(lang);
    const tag = uid().toUpperCase();
    const port = `PORT-ADM-${tag}`;
    const keyName = `scanner ${tag}`;
    const shot = (name: string) => expectConsolePageAtBothWidths(page, `console-admin-${name}${lang === 'en' ? '-en' : ''}`);

    await page.goto(`${base}/console`);
    await page.getByLabel(m('signIn.tokenLabel')).fill(t.tokens.admin);
    await page.getByRole('button', { name: m('signIn.button') }).click();
    await page.getByRole('heading', { name: m('keys.title'), level: 1 }).waitFor();
    // The administrator's pages, not the regulator's; the tab keeps the token only.
    expect(await page.locator('#nav a').allTextContents()).toEqual([m('admin.nav.keys'), m('admin.nav.facilities')]);
    expect(await page.locator('#signed-in-role').textContent()).toBe(m('nav.signedInAs.ADMIN'));
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([t.tokens.admin]);

    // Register a port of entry with one zone, by keyboard-reachable form fields.
    await page.getByRole('link', { name: m('admin.nav.facilities') }).click();
    await page.getByRole('heading', { name: m('facilities.title'), level: 1 }).waitFor();
    await page.getByLabel(m('facilities.id')).fill(port);
    await page.getByLabel(m('facilities.name'), { exact: true }).fill('Yangshan deep-water port');
    await page.getByLabel(m('facilities.type')).selectOption('PORT_OF_ENTRY');
    await page.getByRole('button', { name: m('facilities.addZone') }).click();
    await page.getByLabel(m('facilities.zoneId', { n: 1 })).fill('INSPECT-1');
    await page.getByLabel(m('facilities.zoneKind', { n: 1 })).selectOption('DEDICATED_INTAKE');
    await page.getByRole('button', { name: m('facilities.submit') }).click();
    await page.getByText(m('facilities.registered', { id: port })).waitFor();
    const card = page.locator(`[data-facility-id="${port}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('INSPECT-1');
    expect(await card.textContent()).toContain(m('zoneKind.DEDICATED_INTAKE'));
    expect(await card.textContent()).toContain(m('facilityType.PORT_OF_ENTRY'));
    const registered = (await t.as(t.tokens.admin).get(`/api/facilities/${port}`).expect(200)).body as { type: string; zones: unknown[] };
    expect(registered).toMatchObject({ type: 'PORT_OF_ENTRY', zones: [{ id: 'INSPECT-1', kind: 'DEDICATED_INTAKE' }] });
    await shot('facilities');

    // Create an OPERATOR key for it: the facility is chosen from the list.
    await page.getByRole('link', { name: m('admin.nav.keys') }).click();
    await page.getByRole('heading', { name: m('keys.title'), level: 1 }).waitFor();
    await page.getByLabel(m('keys.name'), { exact: true }).fill(keyName);
    await page.getByLabel(m('keys.role'), { exact: true }).selectOption('OPERATOR');
    await page.getByRole('checkbox', { name: `Yangshan deep-water port ${port}` }).check();
    await page.getByRole('button', { name: m('keys.submit') }).click();
    const tokenField = page.getByLabel(m('keys.tokenLabel'), { exact: true });
    await tokenField.waitFor();
    await page.getByText(m('keys.tokenWarning')).waitFor();
    const token = await tokenField.inputValue();
    expect(token).toMatch(/^ct_/);
    await page.getByRole('button', { name: m('keys.copy') }).click();
    await page.getByText(m('keys.copied')).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);

    const keys = ((await t.as(t.tokens.admin).get('/api/keys').expect(200)).body as { keys: { id: string; name: string; role: string; facilityIds: string[] }[] }).keys;
    const key = keys.find((k) => k.name === keyName)!;
    expect(key).toMatchObject({ role: 'OPERATOR', facilityIds: [port] });
    const item = page.locator(`[data-key-id="${key.id}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain(port);
    expect(await item.textContent()).toContain(m('role.OPERATOR'));
    await shot('keys-token');

    // The token works: it registers a lot at its port.
    await registerLot(token, `SHRIMP-${tag}`, port).expect(201);

    // Revoking asks first; cancelling changes nothing.
    await item.getByRole('button', { name: m('keys.revokeLabel', { name: keyName }) }).click();
    await item.getByText(m('keys.confirm', { name: keyName })).waitFor();
    await shot('keys-revoke-confirm');
    await item.getByRole('button', { name: m('keys.cancel') }).click();
    await registerLot(token, `SHRIMP-${tag}-2`, port).expect(201);
    await item.getByRole('button', { name: m('keys.revokeLabel', { name: keyName }) }).click();
    await item.getByRole('button', { name: m('keys.confirmYes') }).click();
    await page.getByText(m('keys.revokedNotice', { name: keyName })).waitFor();
    await page.locator(`[data-key-id="${key.id}"]`).getByText(m('keys.revoked'), { exact: false }).first().waitFor();

    // Each api process re-reads changed keys within AUTH_REFRESH_MS.
    await waitFor('the revocation to take effect', async () => (await registerLot(token, `SHRIMP-${tag}-3`, port)).status === 401);
    const refused = await registerLot(token, `SHRIMP-${tag}-4`, port);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('a REGULATOR key keeps the regulator\'s pages; an OPERATOR key is told which keys the console takes', async () => {
    await openBrowser('en');
    await page.goto(`${base}/console`);
    const operator = await t.issueKey('OPERATOR', [await firstFacility()], 'till 1');
    await page.getByLabel('Token (regulator or administrator)').fill(operator.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText("the console needs a regulator's key (or an administrator's").waitFor();
    expect(await page.locator('#signin-error').textContent()).toContain('it is an operator key');

    await page.getByLabel('Token (regulator or administrator)').fill(t.tokens.regulator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    const links = await page.locator('#nav a').allTextContents();
    expect(links).toContain('Lots');
    expect(links).not.toContain('Keys');
    expect(await page.locator('#signed-in-role').textContent()).toBe('Signed in with a regulator key');
    // The administrator's addresses show a regulator the lots, nothing of keys.
    await page.goto(`${base}/console#/keys`);
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
  });

  /** A registered facility for an operator key (one is registered by the first test or here). */
  const firstFacility = async (): Promise<string> => {
    const list = (await t.as(t.tokens.admin).get('/api/facilities?limit=1').expect(200)).body as { items: { id: string }[] };
    if (list.items[0]) return list.items[0].id;
    const id = `RS-${uid()}`;
    await t.as(t.tokens.admin).post('/api/facilities').send({ id, name: 'Store', type: 'RETAIL_STORE', zones: [] }).expect(201);
    return id;
  };
});
