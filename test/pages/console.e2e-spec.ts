import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CSP } from '../../apps/api/src/console/console-files';
import type { MessageKey } from '../../apps/console/src/messages-en';
import { expectAccessibleConsole, launchBrowser, watchPageProblems } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { atOffset, expectConsolePageAtBothWidths, LANGS, RAW_CODES_SHOWN, say, traceCodes, type Lang } from '../support/console-page';
import { registerLot, registerNetwork, scanOk, uid, type Network } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * The regulator's console (/console) in a real Chromium against the real API
 * on a real port and PostgreSQL: signing in (a wrong token, another role's
 * key), the lot list filtered to recalled lots, a lot's genealogy graph, lock
 * and unlock, a recall through the button and its page listing every
 * descendant and whether its holder was told by webhook; each page checked with axe-core and saved as a screenshot
 * (test-output/screenshots/console-*.png). The key checks run in Chinese (the
 * default) and in English, chosen by the browser's language as a regulator's
 * browser would; no page shows a raw code.
 */

/** A screenshot's name ends in `-en` for the English page (the Chinese one is the README's). */
const suffix = (lang: Lang): string => (lang === 'en' ? '-en' : '');

describeNeeding('chromium', __filename)("regulator's console (e2e, real PostgreSQL, real Chromium)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let n: Network;
  /** The central warehouse's webhook endpoint on loopback: the recall page says its lots were told. */
  let warehouseHooks: WebhookReceiver;
  /** Problems each page reported: script errors, CSP refusals (not the API's 4xx answers, which the console shows). */
  let pageProblems: string[][];
  /** First genealogy: a container split into A and B, A split into A1 and A2; A recalled. */
  let g: { container: string; a: string; b: string; a1: string; a2: string };
  /** Second genealogy, for the buttons: D split into D1 and D2 at the port, D1 taken to the warehouse and split into D11 there. */
  let d: { d: string; d1: string; d2: string; d11: string };
  /** A lot whose scans were recorded out of the order they happened in: sampled 5 minutes ago, then a disinfection of 2 hours ago uploaded late. */
  let late: string;

  const split = async (parent: string, children: { traceCode: string; quantity: number }[]) => {
    const res = await t.http().post(`/api/lots/${parent}/splits`).send({ splitId: `SPLIT-${uid()}`, children });
    if (res.status !== 201) throw new Error(`split of ${parent} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { position: number };
  };

  const expectAccessible = (what: string) => expectAccessibleConsole(page, what);

  /** The language of the page under test (the browser's, set per context). */
  let lang: Lang = 'zh-CN';
  const m = (key: MessageKey, params: Record<string, string | number> = {}) => say(lang, key, params);

  /** A fresh browser in `language` (navigator.language and Accept-Language), no switch set. */
  const openBrowser = async (language: string) => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: language });
    page = await context.newPage();
    pageProblems.push(watchPageProblems(page));
    lang = language.startsWith('en') ? 'en' : 'zh-CN';
  };

  const signIn = async (token: string) => {
    await page.goto(`${base}/console`);
    await page.getByLabel(m('signIn.tokenLabel')).fill(token);
    await page.getByRole('button', { name: m('signIn.button') }).click();
  };

  const expectNoRawCode = async (what: string) => expect({ what, shown: await page.evaluate(RAW_CODES_SHOWN) }).toEqual({ what, shown: [] });

  beforeAll(async () => {
    // Loopback receivers allowed, as test/webhooks.e2e-spec.ts does.
    t = await createTestApp({ webhooks: { allowHttp: true, allowPrivate: ['127.0.0.0/8'], retry: { minMs: 100, maxMs: 1_000, forMs: 60_000 }, timeoutMs: 5_000 } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    const tag = uid().toUpperCase();
    n = await registerNetwork(t, tag);
    g = { container: `CONT-${tag}`, a: `CONT-${tag}-A`, b: `CONT-${tag}-B`, a1: `CONT-${tag}-A1`, a2: `CONT-${tag}-A2` };
    await registerLot(t, n, g.container, 100);
    await split(g.container, [
      { traceCode: g.a, quantity: 40 },
      { traceCode: g.b, quantity: 40 },
    ]);
    await split(g.a, [
      { traceCode: g.a1, quantity: 10 },
      { traceCode: g.a2, quantity: 15 },
    ]);
    const recalled = await t.http().post(`/api/lots/${g.a}/recall`).send({ reason: 'Positive swab on the packaging of lot A' }).expect(201);

    d = { d: `DUCK-${tag}`, d1: `DUCK-${tag}-1`, d2: `DUCK-${tag}-2`, d11: `DUCK-${tag}-1-1` };
    await registerLot(t, n, d.d, 60, 'CARTON');
    await split(d.d, [
      { traceCode: d.d1, quantity: 20 },
      { traceCode: d.d2, quantity: 20 },
    ]);
    await scanOk(t, { traceCode: d.d1, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-7' } });
    await scanOk(t, { traceCode: d.d1, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    const last = await split(d.d1, [{ traceCode: d.d11, quantity: 5 }]);

    late = `LATE-${tag}`;
    await registerLot(t, n, late, 30);
    await scanOk(t, { traceCode: late, facilityId: n.port, action: 'SAMPLE', occurredAt: new Date(Date.now() - 5 * 60_000).toISOString() });
    const lateScan = await scanOk(t, { traceCode: late, facilityId: n.port, action: 'DISINFECT', occurredAt: new Date(Date.now() - 120 * 60_000).toISOString() });
    // Everything projected before the browser looks (the console reads the read models as they are).
    await t.as(t.tokens.regulator).get(`/api/lots?atLeast=${Math.max(last.position, lateScan.position, recalled.body.position as number)}&limit=1`).expect(200);

    browser = await launchBrowser();
  });

  beforeEach(async () => {
    pageProblems = [];
    await openBrowser('zh-CN');
  });

  afterEach(async () => {
    await context?.close();
    expect(pageProblems.flat()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await warehouseHooks?.down();
  });

  it('is served at /console: the page and its files with their types and its own CSP, nothing else from the folder', async () => {
    const html = await t.anonymous().get('/console').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(html.text).toContain('<main id="app"');
    // The offset the console shows times at (EPCIS_TIME_ZONE_OFFSET), written in by the api.
    expect(html.text).toContain('<meta name="coldtrace-time-zone-offset" content="+08:00">');
    // No inline script, no script or style from elsewhere.
    expect(html.text).not.toMatch(/<script(?![^>]*\bsrc="\/console\/)/);
    expect(html.text).not.toMatch(/(src|href)="(https?:)?\/\//);

    for (const [file, type] of [
      ['main.js', /^text\/javascript/],
      ['cytoscape.min.js', /^text\/javascript/],
      ['console.css', /^text\/css/],
    ] as const) {
      const res = await t.anonymous().get(`/console/${file}`).expect(200);
      expect({ file, type: res.headers['content-type'] }).toEqual({ file, type: expect.stringMatching(type) });
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
    for (const path of ['/console/index.html', '/console/nope.js', '/console/..%2Fpackage.json', '/console/.console.tsbuildinfo', '/console/a/b.js']) {
      const res = await t.anonymous().get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'ROUTE_NOT_FOUND' });
    }
    // The API keeps its prefix: the console's paths are not under /api, and /api/console is nothing.
    expect((await t.anonymous().get('/api/console')).status).toBe(404);
  });

  it.each(LANGS)("%s: a wrong token gets a clear message; another role's key is told it needs a regulator's key; the token never reaches a URL or a cookie", async (language) => {
    await openBrowser(language);
    await signIn(`ct_${'x'.repeat(43)}`);
    const alert = page.locator('#signin-error');
    await alert.waitFor({ state: 'visible' });
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    expect(await alert.textContent()).toBe(m('signIn.refused'));
    await expectConsolePageAtBothWidths(page, `console-signin${suffix(language)}`);

    await page.getByLabel(m('signIn.tokenLabel')).fill(t.tokens.inspector);
    await page.getByRole('button', { name: m('signIn.button') }).click();
    await page.getByText(m('signIn.wrongRole', { role: m('roleArticle.INSPECTOR') })).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await page.getByLabel(m('signIn.tokenLabel')).fill(t.tokens.regulator);
    await page.getByRole('button', { name: m('signIn.button') }).click();
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    expect(await page.locator('#signed-in-role').textContent()).toBe(m('nav.signedInAs.REGULATOR'));
    expect(page.url()).not.toContain(t.tokens.regulator);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([t.tokens.regulator]);
    // The language came from the browser: nothing kept until the user switches.
    expect(await page.evaluate('localStorage.length')).toBe(0);

    await page.getByRole('button', { name: m('nav.signOut') }).click();
    await page.getByLabel(m('signIn.tokenLabel')).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('speaks Chinese unless the browser prefers English; the switch in the header changes the page at once and is kept in this browser', async () => {
    await openBrowser('fr-FR');
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: say('zh-CN', 'lots.title'), level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('button', { name: '中文' }).getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#sign-out').textContent()).toBe(say('en', 'nav.signOut'));
    expect(await page.evaluate(`localStorage.getItem('coldtrace.console.language')`)).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    await expectAccessible('lot list, switched to English');

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: say('zh-CN', 'lots.title'), level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('a key revoked while signed in: the next page says so and asks to sign in again', async () => {
    const key = await t.issueKey('REGULATOR', undefined, 'regulator soon revoked');
    await signIn(key.token);
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    await t.as(t.tokens.admin).delete(`/api/keys/${key.id}`).expect(200);
    // Each api process re-reads changed keys within AUTH_REFRESH_MS.
    await waitFor('the revocation to take effect', async () => (await t.as(key.token).get('/api/lots?limit=1')).status === 401);
    await page.goto(`${base}/console#/lots/${g.a}`);
    await page.getByText(m('signIn.revoked')).waitFor();
    await page.getByLabel(m('signIn.tokenLabel')).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it.each(LANGS)('%s: the list filtered to recalled lots shows exactly them, each with its sale verdict and reasons in words, facility and country names, one time format', async (language) => {
    await openBrowser(language);
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    await page.getByLabel(m('lots.filter.status')).selectOption('RECALLED');
    await page.getByRole('button', { name: m('lots.apply') }).click();
    await page.getByText(`${m('lots.filter.status')}: ${m('status.RECALLED')}`).waitFor();

    const items = ((await t.as(t.tokens.regulator).get('/api/lots?status=RECALLED').expect(200)).body as { items: { traceCode: string; enteredAt: string; holderFacilityId: string }[] }).items;
    const expected = items.map((i) => i.traceCode);
    expect([...expected].sort()).toEqual([g.a, g.a1, g.a2].sort());
    const shown = await page.locator('table.lots tbody th a').allTextContents();
    expect(shown).toEqual(expected);
    // Where it is, written out (not only coloured)...
    expect(await page.locator('table.lots tbody .badge[data-status]').allTextContents()).toEqual(expected.map(() => expect.stringContaining(m('status.RECALLED'))));
    // ... and apart from it, whether it may be sold and why not, in words.
    expect(await page.locator('table.lots tbody .badge[data-allowed]').evaluateAll((els) => els.map((e) => e.getAttribute('data-allowed')))).toEqual(expected.map(() => 'false'));
    expect(await page.locator('table.lots tbody .badge[data-allowed]').allTextContents()).toEqual(expected.map(() => expect.stringContaining(m('reason.LOT_RECALLED'))));
    const row = page.locator('table.lots tbody tr', { has: page.locator(`a:text-is("${g.a}")`) });
    const cells = await row.locator('td').allTextContents();
    const brazil = language === 'en' ? 'Brazil (BR)' : '巴西 (BR)';
    expect(cells).toEqual(expect.arrayContaining([`Port of entry (${n.port})`, brazil, m('category.FROZEN'), atOffset(items[0].enteredAt)]));
    expect(await page.locator(`table.lots a:text-is("${g.a}")`).getAttribute('href')).toBe(`#/lots/${g.a}`);
    await expectConsolePageAtBothWidths(page, `console-lots${suffix(language)}`);
  });

  it.each(LANGS)('%s: a lot page: the facts, why it may not be sold, its history, and its genealogy as a graph with every ancestor and descendant, clickable through', async (language) => {
    await openBrowser(language);
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots?status=RECALLED`);
    await page.locator(`table.lots a:text-is("${g.a}")`).click();
    await page.getByRole('heading', { name: m('lot.title', { traceCode: g.a }), level: 1 }).waitFor();

    const genealogy = [...new Set([...(await traceCodes(t, g.a, 'backward')), ...(await traceCodes(t, g.a, 'forward'))])].sort();
    expect(genealogy).toEqual([g.container, g.a, g.a1, g.a2].sort());
    // The graph on screen, read from cytoscape itself (the console exposes its instance).
    await page.waitForFunction('window.coldtraceGraph !== undefined');
    const graph = (await page.evaluate(`(() => {
      const cy = window.coldtraceGraph;
      return {
        nodes: cy.nodes().map((n) => n.id()).sort(),
        labels: cy.nodes().map((n) => n.data('label')),
        focus: cy.nodes('.focus').map((n) => n.id()),
        edges: cy.edges().length,
      };
    })()`)) as { nodes: string[]; labels: string[]; focus: string[]; edges: number };
    expect(graph.nodes).toEqual(genealogy);
    expect(graph.focus).toEqual([g.a]);
    expect(graph.edges).toBe(3);
    // Each node's label carries its status in words (shape and colour follow it too).
    expect(graph.labels).toEqual(expect.arrayContaining([`${g.a}\n${m('status.RECALLED')}`, `${g.container}\n${m('status.HELD')}`]));
    // The same lots, listed beside the graph for keyboard and screen reader.
    expect((await page.locator('#genealogy-list li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-trace-code')))).sort()).toEqual(genealogy);

    // Facts, the verdict apart from the status, every blocking reason in words, history.
    const lot = (await t.as(t.tokens.regulator).get(`/api/lots/${g.a}`).expect(200)).body as { enteredAt: string };
    const facts = await page.locator('dl.facts').first().textContent();
    expect(facts).toContain('Frozen beef');
    expect(facts).toContain(m('category.FROZEN'));
    expect(facts).toContain(`Port of entry (${n.port})`);
    const reasons = ((await t.as(t.tokens.regulator).get(`/api/lots/${g.a}/sale-eligibility`).expect(200)).body as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(reasons).toContain('LOT_RECALLED');
    expect((await page.locator('#blocking-reasons li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-code')))).sort()).toEqual([...reasons].sort());
    expect(await page.locator('#blocking-reasons').textContent()).toContain(m('reason.LOT_RECALLED'));
    expect(await page.locator('#lot-badges .badge[data-allowed="false"]').textContent()).toContain(m('reason.LOT_RECALLED'));
    expect(await page.locator('#lot-badges .badge[data-status]').textContent()).toContain(m('status.RECALLED'));
    expect(await page.locator('#history li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#history').textContent()).toContain(m('event.LotRecalled'));
    // Every time on the page one way: `2026-12-07 17:21` at the offset.
    const times = await page.locator('main time').allTextContents();
    expect(times.length).toBeGreaterThan(3);
    expect(times.filter((text) => !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(text))).toEqual([]);
    expect(times).toContain(atOffset(lot.enteredAt));

    await expectConsolePageAtBothWidths(page, `console-lot${suffix(language)}`);

    // A node of the graph opens its lot.
    // `void`: the collection emit() answers is no value to send back.
    await page.evaluate(`void window.coldtraceGraph.getElementById(${JSON.stringify(g.a1)}).emit('tap')`);
    await page.getByRole('heading', { name: m('lot.title', { traceCode: g.a1 }), level: 1 }).waitFor();
    expect(page.url()).toContain(`#/lots/${g.a1}`);
    // ... and the list beside it does the same, by keyboard.
    await page.locator(`#genealogy-list a:text-is("${g.container}")`).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: m('lot.title', { traceCode: g.container }), level: 1 }).waitFor();
  });

  it.each(LANGS)('%s: a lot\'s history is in the order things happened, a late-recorded scan with its recorded time beside', async (language) => {
    await openBrowser(language);
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots/${late}`);
    await page.getByRole('heading', { name: m('lot.title', { traceCode: late }), level: 1 }).waitFor();

    interface Event {
      type: string;
      occurredAt: string;
      recordedAt: string;
    }
    const history = async (query: string) => ((await t.as(t.tokens.regulator).get(`/api/lots/${late}/history${query}`).expect(200)).body as { events: Event[] }).events;
    const occurred = await history('?order=occurred');
    const recorded = await history('');
    const types = (events: Event[]) => events.map((e) => e.type).filter((type) => type === 'LotSampled' || type === 'LotDisinfected');
    // Recorded: the sample, then the disinfection uploaded late; happened: the other way round.
    expect(types(recorded)).toEqual(['LotSampled', 'LotDisinfected']);
    expect(types(occurred)).toEqual(['LotDisinfected', 'LotSampled']);

    const shown = await page.locator('#history > li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-event-type'), li.getAttribute('data-occurred-at')]));
    expect(shown).toEqual(occurred.map((e) => [e.type, e.occurredAt]));
    const disinfected = occurred.find((e) => e.type === 'LotDisinfected')!;
    const item = page.locator('#history > li[data-event-type="LotDisinfected"]');
    expect(await item.locator('time').textContent()).toBe(atOffset(disinfected.occurredAt));
    expect(await item.locator('.recorded').textContent()).toBe(m('lot.recordedAt', { time: atOffset(disinfected.recordedAt) }));
    expect(await item.textContent()).toContain(m('event.LotDisinfected'));
    expect(await item.textContent()).toContain(`Port of entry (${n.port})`);
    await expectNoRawCode(`history (${language})`);
    await expectAccessible(`lot page with a late scan (${language})`);
  });

  it('lock and unlock through the buttons show the answer; a missing reason and a refused command show why, in words', async () => {
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots/${d.d}`);
    await page.getByRole('heading', { name: m('lot.title', { traceCode: d.d }), level: 1 }).waitFor();

    await page.getByRole('button', { name: m('actions.lock'), exact: true }).click();
    await page.getByText(m('actions.needReason')).waitFor();
    expect(await page.getByLabel(m('actions.reason')).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel(m('actions.reason')).fill('Inspection pending');
    await page.getByRole('button', { name: m('actions.lock'), exact: true }).click();
    await page.getByText(m('actions.locked.other', { count: 4, traceCode: d.d })).waitFor();
    await page.getByRole('heading', { name: m('lot.title', { traceCode: d.d }), level: 1 }).waitFor();
    expect(await page.locator('#lot-badges .badge[data-status]').textContent()).toContain(m('status.LOCKED'));
    expect(await page.locator('#lot-badges .badge[data-allowed]').textContent()).toContain(m('reason.LOT_LOCKED'));
    // The lock happened when it was recorded: no second time beside it.
    expect(await page.locator('#history > li[data-event-type="LotLocked"]').count()).toBe(1);
    expect(await page.locator('#history > li[data-event-type="LotLocked"] .recorded').count()).toBe(0);

    await page.getByLabel(m('actions.reason')).fill('Inspection passed');
    await page.getByRole('button', { name: m('actions.unlock'), exact: true }).click();
    await page.getByText(m('actions.unlocked.other', { count: 4, traceCode: d.d })).waitFor();

    // Unlocking what is not locked: the code in words, the API's own message beside it.
    await page.getByLabel(m('actions.reason')).fill('Again');
    await page.getByRole('button', { name: m('actions.unlock'), exact: true }).click();
    const refused = page.locator('#action-result .problem[data-code="LOT_NOT_LOCKED"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain(m('error.LOT_NOT_LOCKED'));
    await expectNoRawCode('a refused unlock');
  });

  it('a recall through the button opens its page: every descendant, grouped by the facility holding it, with what is unsold and whether its holder was told', async () => {
    // The warehouse subscribes to recalls; the port does not.
    warehouseHooks = await WebhookReceiver.start();
    const warehouseKey = await t.issueKey('OPERATOR', [n.warehouse]);
    await t.as(warehouseKey.token).post('/api/subscriptions').send({ url: warehouseHooks.url, events: ['lot.recalled'] }).expect(201);
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots/${d.d}`);
    await page.getByRole('heading', { name: m('lot.title', { traceCode: d.d }), level: 1 }).waitFor();
    await page.getByLabel(m('actions.reason')).fill('Cold chain broken on the quay');
    await page.getByRole('button', { name: m('actions.recall'), exact: true }).click();
    // Asked first (test/pages/console-actions.e2e-spec.ts tries the question and its cancel in full).
    await page.getByRole('dialog').getByRole('button', { name: m('confirm.recallYes.other', { count: 4 }) }).click();
    await page.getByRole('heading', { name: new RegExp(`^${m('recall.title').replace('{recallId}', '')}`) }).waitFor();

    const descendants = (await traceCodes(t, d.d, 'forward')).sort();
    expect(descendants).toEqual([d.d, d.d1, d.d2, d.d11].sort());
    await waitFor('every descendant on the recall page', async () => (await page.locator('#recall-lots tbody tr').count()) === descendants.length);
    const listed = await page.locator('#recall-lots tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-code')));
    expect([...listed].sort()).toEqual(descendants);
    // Grouped by the facility holding each, named: the port (D, D2) and the warehouse (D1, D11).
    const groups = await page.locator('#recall-lots section h3').allTextContents();
    expect(groups).toEqual([expect.stringContaining(`Central warehouse (${n.warehouse})`), expect.stringContaining(`Port of entry (${n.port})`)]);
    expect(await page.locator('#recall-lots section', { hasText: n.warehouse }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-code')))).toEqual(
      [d.d1, d.d11].sort(),
    );
    expect(await page.locator('#recall-status').textContent()).toContain(m('recall.shown.other', { shown: descendants.length, count: descendants.length }).split('{unsold}')[0]);
    expect(await page.locator('main').textContent()).toContain('Cold chain broken on the quay');
    // Told: the warehouse's lots once delivered (with the time, to the second), the port's have no subscriber; in words, not colour alone.
    expect(await page.locator('#recall-lots thead').first().textContent()).toContain(m('recall.col.told'));
    const toldOf = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        await page
          .locator('#recall-lots tbody tr')
          .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-trace-code') ?? '', (r.querySelector('td.told')?.textContent ?? '').replace(/\s+/g, ' ').trim()])),
      );
    const [toldBefore, toldAfter] = m('told.delivered').split('{time}');
    const told = await waitFor('the warehouse told, on the page', async () => {
      const shown = await toldOf();
      return shown[d.d1]?.includes(toldBefore.trim()) && shown[d.d11]?.includes(toldBefore.trim()) ? shown : undefined;
    }, 15_000, 200);
    const toldPattern = new RegExp(`^✓ ${toldBefore.trim()} ?\\d{2}:\\d{2}:\\d{2}${toldAfter}$`);
    expect(told).toEqual({
      [d.d]: `– ${m('told.none')}`,
      [d.d2]: `– ${m('told.none')}`,
      [d.d1]: expect.stringMatching(toldPattern),
      [d.d11]: expect.stringMatching(toldPattern),
    });
    expect(warehouseHooks.distinct().map((w) => w.body.data.traceCode).sort()).toEqual([d.d1, d.d11].sort());
    const toldAt = await page.locator(`#recall-lots tr[data-trace-code="${d.d1}"] td.told time`).getAttribute('datetime');
    expect(Number.isNaN(Date.parse(toldAt ?? ''))).toBe(false);
    await expectConsolePageAtBothWidths(page, `console-recall${suffix(lang)}`);

    // It keeps asking: the next refresh comes within a few seconds.
    expect(await page.locator('#recall-status').textContent()).toContain(m('recall.updated', { seconds: 3 }).split('{time}')[1]);
    await page.waitForRequest((r) => r.url().includes(`/api/recalls/`), { timeout: 8000 });
  });

  it('keyboard only: the skip link, signing in with Enter, a lot reached from the list by Tab and opened with Enter', async () => {
    await openBrowser('zh-CN');
    await page.goto(`${base}/console#/lots?status=RECALLED`);
    const token = page.getByLabel(m('signIn.tokenLabel'));
    await token.waitFor();
    // The form takes the focus: type and press Enter, no pointer.
    expect(await page.evaluate('document.activeElement?.id')).toBe('token');
    await page.keyboard.type(t.tokens.regulator);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    // The page's heading has the focus after it is drawn, so a screen reader starts there.
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1');

    // Tab from the heading reaches the lot's link; Enter opens it.
    const focusedText = () => page.evaluate('document.activeElement?.textContent ?? ""') as Promise<string>;
    let presses = 0;
    while ((await focusedText()) !== g.a && presses < 60) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(await focusedText()).toBe(g.a);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: m('lot.title', { traceCode: g.a }), level: 1 }).waitFor();

    // The skip link comes first on the page and moves the focus to the content.
    expect(await page.evaluate(`document.querySelector('body a, body button, body input')?.className`)).toBe('skip');
    await page.locator('a.skip').focus();
    expect(await focusedText()).toBe(m('app.skip'));
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('app');
  });
});
