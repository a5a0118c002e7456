import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CSP } from '../../apps/api/src/console/console-files';
import { expectAccessibleConsole, launchBrowser, screenshot, watchPageProblems } from '../support/browser';
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
 * (test-output/screenshots/console-*.png).
 */

interface TraceAnswer {
  lots: { traceCode: string }[];
  nextCursor: string | null;
}

describe("regulator's console (e2e, real PostgreSQL, real Chromium)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let n: Network;
  /** The central warehouse's webhook endpoint on loopback: the recall page says its lots were told. */
  let warehouseHooks: WebhookReceiver;
  /** Problems the page reported: script errors, CSP refusals (not the API's 4xx answers, which the console shows). */
  let pageProblems: string[];
  /** First genealogy: a container split into A and B, A split into A1 and A2; A recalled. */
  let g: { container: string; a: string; b: string; a1: string; a2: string };
  /** Second genealogy, for the buttons: D split into D1 and D2 at the port, D1 taken to the warehouse and split into D11 there. */
  let d: { d: string; d1: string; d2: string; d11: string };

  const split = async (parent: string, children: { traceCode: string; quantity: number }[]) => {
    const res = await t.http().post(`/api/lots/${parent}/splits`).send({ splitId: `SPLIT-${uid()}`, children });
    if (res.status !== 201) throw new Error(`split of ${parent} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { position: number };
  };

  /** Every lot of a trace, page by page, as the API answers the regulator. */
  const traceCodes = async (traceCode: string, direction: 'forward' | 'backward'): Promise<string[]> => {
    const codes: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `direction=${direction}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}/trace?${query}`).expect(200);
      const body = res.body as TraceAnswer;
      codes.push(...body.lots.map((l) => l.traceCode));
      cursor = body.nextCursor;
    } while (cursor);
    return codes;
  };

  const expectAccessible = (what: string) => expectAccessibleConsole(page, what);

  const signIn = async (token: string) => {
    await page.goto(`${base}/console`);
    await page.getByLabel('Token (regulator or administrator)').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

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
    // Everything projected before the browser looks (the console reads the read models as they are).
    await t.as(t.tokens.regulator).get(`/api/lots?atLeast=${Math.max(last.position, recalled.body.position as number)}&limit=1`).expect(200);

    browser = await launchBrowser();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    pageProblems = watchPageProblems(page);
  });

  afterEach(async () => {
    await context?.close();
    expect(pageProblems).toEqual([]);
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

  it('a wrong token gets a clear message; another role\'s key is told it needs a REGULATOR key; the token never reaches a URL or a cookie', async () => {
    await signIn(`ct_${'x'.repeat(43)}`);
    const alert = page.locator('#signin-error');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('This token was not accepted');
    await expectAccessible('sign-in page with the error');
    await screenshot(page, 'console-signin');

    await page.getByLabel('Token (regulator or administrator)').fill(t.tokens.inspector);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('the console needs a REGULATOR key').waitFor();
    expect(await alert.textContent()).toContain('INSPECTOR key');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await page.getByLabel('Token (regulator or administrator)').fill(t.tokens.regulator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    expect(page.url()).not.toContain(t.tokens.regulator);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([t.tokens.regulator]);
    expect(await page.evaluate('localStorage.length')).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token (regulator or administrator)').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('a key revoked while signed in: the next page says so and asks to sign in again', async () => {
    const key = await t.issueKey('REGULATOR', undefined, 'regulator soon revoked');
    await signIn(key.token);
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    await t.as(t.tokens.admin).delete(`/api/keys/${key.id}`).expect(200);
    // Each api process re-reads changed keys within AUTH_REFRESH_MS.
    await waitFor('the revocation to take effect', async () => (await t.as(key.token).get('/api/lots?limit=1')).status === 401);
    await page.goto(`${base}/console#/lots/${g.a}`);
    await page.getByText('Your token is no longer accepted').waitFor();
    await page.getByLabel('Token (regulator or administrator)').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('signed in, the list filtered to recalled lots shows exactly the recalled ones, each linking to its lot', async () => {
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    await page.getByLabel('Status').selectOption('RECALLED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('filtered: status = RECALLED').waitFor();

    const expected = ((await t.as(t.tokens.regulator).get('/api/lots?status=RECALLED').expect(200)).body as { items: { traceCode: string }[] }).items.map((i) => i.traceCode);
    expect(expected.sort()).toEqual([g.a, g.a1, g.a2].sort());
    const shown = await page.locator('table.lots tbody th a').allTextContents();
    expect(shown).toEqual(expected);
    // The status is written out, not only coloured.
    expect(await page.locator('table.lots tbody .badge').allTextContents()).toEqual(expected.map(() => expect.stringContaining('RECALLED')));
    expect(await page.locator(`table.lots a:text-is("${g.a}")`).getAttribute('href')).toBe(`#/lots/${g.a}`);
    await expectAccessible('lot list');
    await screenshot(page, 'console-lots');
  });

  it('a lot page: the facts, why it is blocked, its history, and its genealogy as a graph with every ancestor and descendant, clickable through', async () => {
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots?status=RECALLED`);
    await page.locator(`table.lots a:text-is("${g.a}")`).click();
    await page.getByRole('heading', { name: `Lot ${g.a}`, level: 1 }).waitFor();

    const genealogy = [...new Set([...(await traceCodes(g.a, 'backward')), ...(await traceCodes(g.a, 'forward'))])].sort();
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
    expect(graph.labels).toEqual(expect.arrayContaining([`${g.a}\nRECALLED`, `${g.container}\nHELD`]));
    // The same lots, listed beside the graph for keyboard and screen reader.
    expect((await page.locator('#genealogy-list li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-trace-code')))).sort()).toEqual(genealogy);

    // Facts, every blocking reason, history.
    expect(await page.locator('dl.facts').first().textContent()).toContain('Frozen beef');
    const reasons = ((await t.as(t.tokens.regulator).get(`/api/lots/${g.a}/sale-eligibility`).expect(200)).body as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(reasons).toContain('LOT_RECALLED');
    expect((await page.locator('#blocking-reasons li code').allTextContents()).sort()).toEqual([...reasons].sort());
    expect(await page.locator('#history li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#history').textContent()).toContain('LotRecalled');

    await expectAccessible('lot page');
    await screenshot(page, 'console-lot-graph');

    // A node of the graph opens its lot.
    // `void`: the collection emit() answers is no value to send back.
    await page.evaluate(`void window.coldtraceGraph.getElementById(${JSON.stringify(g.a1)}).emit('tap')`);
    await page.getByRole('heading', { name: `Lot ${g.a1}`, level: 1 }).waitFor();
    expect(page.url()).toContain(`#/lots/${g.a1}`);
    // ... and the list beside it does the same, by keyboard.
    await page.locator(`#genealogy-list a:text-is("${g.container}")`).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Lot ${g.container}`, level: 1 }).waitFor();
  });

  it('lock and unlock through the buttons show the answer; a missing reason and a refused command show why', async () => {
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots/${d.d}`);
    await page.getByRole('heading', { name: `Lot ${d.d}`, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByText('Enter a reason first').waitFor();
    expect(await page.getByLabel('Reason (required)').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Reason (required)').fill('Inspection pending');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByText('Locked: 4 lots affected').waitFor();
    await page.getByRole('heading', { name: `Lot ${d.d} LOCKED`, level: 1 }).waitFor();

    await page.getByLabel('Reason (required)').fill('Inspection passed');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByText('Unlocked: 4 lots affected').waitFor();

    // Unlocking what is not locked: the API's message and code.
    await page.getByLabel('Reason (required)').fill('Again');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.locator('#action-result').getByText('LOT_NOT_LOCKED').waitFor();
    expect(await page.locator('#action-result').textContent()).toContain('The API refused');
  });

  it('a recall through the button opens its page: every descendant, grouped by the facility holding it, with what is unsold and whether its holder was told', async () => {
    // The warehouse subscribes to recalls; the port does not.
    warehouseHooks = await WebhookReceiver.start();
    const warehouseKey = await t.issueKey('OPERATOR', [n.warehouse]);
    await t.as(warehouseKey.token).post('/api/subscriptions').send({ url: warehouseHooks.url, events: ['lot.recalled'] }).expect(201);
    await signIn(t.tokens.regulator);
    await page.getByRole('heading', { name: 'Lots', level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots/${d.d}`);
    await page.getByRole('heading', { name: `Lot ${d.d}`, level: 1 }).waitFor();
    await page.getByLabel('Reason (required)').fill('Cold chain broken on the quay');
    await page.getByRole('button', { name: 'Recall', exact: true }).click();
    await page.getByRole('heading', { name: /^Recall / }).waitFor();
    await page.getByText('Recall ').first().waitFor();

    const descendants = (await traceCodes(d.d, 'forward')).sort();
    expect(descendants).toEqual([d.d, d.d1, d.d2, d.d11].sort());
    await waitFor('every descendant on the recall page', async () => (await page.locator('#recall-lots tbody tr').count()) === descendants.length);
    const listed = await page.locator('#recall-lots tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-code')));
    expect([...listed].sort()).toEqual(descendants);
    // Grouped by the facility holding each: the port (D, D2) and the warehouse (D1, D11).
    const groups = await page.locator('#recall-lots section h3').allTextContents();
    expect(groups).toEqual([expect.stringContaining(n.warehouse), expect.stringContaining(n.port)]);
    expect(await page.locator('#recall-lots section', { hasText: n.warehouse }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-code')))).toEqual(
      [d.d1, d.d11].sort(),
    );
    expect(await page.locator('#recall-status').textContent()).toContain(`${descendants.length} of ${descendants.length} lots shown`);
    expect(await page.locator('main').textContent()).toContain('Cold chain broken on the quay');
    // Told: the warehouse's lots once delivered (with the time, to the second), the port's have no subscriber; in words, not colour alone.
    expect(await page.locator('#recall-lots thead').first().textContent()).toContain('Told');
    const toldOf = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        await page
          .locator('#recall-lots tbody tr')
          .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-trace-code') ?? '', (r.querySelector('td.told')?.textContent ?? '').replace(/\s+/g, ' ').trim()])),
      );
    const told = await waitFor('the warehouse told, on the page', async () => {
      const shown = await toldOf();
      return shown[d.d1]?.includes('told') && shown[d.d11]?.includes('told') ? shown : undefined;
    }, 15_000, 200);
    expect(told).toEqual({
      [d.d]: '– no subscriber',
      [d.d2]: '– no subscriber',
      [d.d1]: expect.stringMatching(/^✓ told \d{2}:\d{2}:\d{2}$/),
      [d.d11]: expect.stringMatching(/^✓ told \d{2}:\d{2}:\d{2}$/),
    });
    expect(warehouseHooks.distinct().map((w) => w.body.data.traceCode).sort()).toEqual([d.d1, d.d11].sort());
    const toldAt = await page.locator(`#recall-lots tr[data-trace-code="${d.d1}"] td.told time`).getAttribute('datetime');
    expect(Number.isNaN(Date.parse(toldAt ?? ''))).toBe(false);
    await expectAccessible('recall page');
    await screenshot(page, 'console-recall');

    // It keeps asking: the next refresh comes within a few seconds.
    expect(await page.locator('#recall-status').textContent()).toContain('refreshed every 3 s');
    await page.waitForRequest((r) => r.url().includes(`/api/recalls/`), { timeout: 8000 });
  });
});
