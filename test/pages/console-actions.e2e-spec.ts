import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MessageKey } from '../../apps/console/src/messages-en';
import { expectAccessibleConsole, launchBrowser, watchPageProblems } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { atOffset, expectConsolePageAtBothWidths, expectFitsPhone, LANGS, RAW_CODES_SHOWN, say, traceCodes, type Lang } from '../support/console-page';
import { registerLot, registerNetwork, scanOk, uid, walkToStore, type Network } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The regulator's acts on a lot page that cannot be undone, in a real
 * Chromium against the real API and PostgreSQL, in Chinese and in English:
 * a recall names the number of lots it will reach (its forward trace) and
 * sends nothing until confirmed (Escape and Cancel change nothing); a
 * destruction asks the same way; an open violation is resolved with a custody
 * correction chosen from the registered facilities and their zones, at a
 * time read at the console's offset. Each changes the lot as the API then
 * reports it. The open dialog passes axe-core; no raw code is shown.
 */

interface LotAnswer {
  status: string;
  holder: { facilityId: string; zoneId: string | null } | null;
  violations: { id: string; kind: string; status: string }[];
}

interface HistoryAnswer {
  events: { type: string; data: Record<string, unknown> }[];
}

describeNeeding('chromium', __filename)("regulator's console: recall, destroy and resolve a violation (e2e, real PostgreSQL, real Chromium)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let n: Network;
  let pageProblems: string[][];

  let lang: Lang = 'zh-CN';
  const m = (key: MessageKey, params: Record<string, string | number> = {}) => say(lang, key, params);
  /** A counted message as the console chooses it (Chinese has one form; English `.one` for 1). */
  const counted = (key: string, count: number, params: Record<string, string | number> = {}) =>
    m(`${key}.${lang === 'en' && count === 1 ? 'one' : 'other'}` as MessageKey, { ...params, count });

  const openBrowser = async (language: Lang) => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: language });
    page = await context.newPage();
    pageProblems.push(watchPageProblems(page));
    lang = language;
  };

  /** Signs in as the regulator and opens the lot's page. */
  const openLot = async (traceCode: string) => {
    await page.goto(`${base}/console`);
    await page.getByLabel(m('signIn.tokenLabel')).fill(t.tokens.regulator);
    await page.getByRole('button', { name: m('signIn.button') }).click();
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
    await page.goto(`${base}/console#/lots/${traceCode}`);
    await page.getByRole('heading', { name: m('lot.title', { traceCode }), level: 1 }).waitFor();
  };

  const lotOf = async (traceCode: string) => (await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}`).expect(200)).body as LotAnswer;
  const historyOf = async (traceCode: string, atLeast = 0) =>
    ((await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}/history?order=occurred&limit=500&atLeast=${atLeast}`).expect(200)).body as HistoryAnswer).events;

  /** What "nothing changed" is measured by: the log's head (the audit digest's position) and every lot's history length, projected up to that head. */
  const recorded = async (traceCodes: string[]) => {
    const position = ((await t.as(t.tokens.regulator).get('/api/audit/digest').expect(200)).body as { position: number }).position;
    return { position, histories: Object.fromEntries(await Promise.all(traceCodes.map(async (c) => [c, (await historyOf(c, position)).length]))) };
  };

  const split = async (parent: string, children: string[]) => {
    const res = await t
      .http()
      .post(`/api/lots/${parent}/splits`)
      .send({ splitId: `SPLIT-${uid()}`, children: children.map((traceCode) => ({ traceCode, quantity: 10 })) });
    if (res.status !== 201) throw new Error(`split of ${parent} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { position: number };
  };

  /** Everything projected up to `position` before the browser looks. */
  const projected = (position: number) => t.as(t.tokens.regulator).get(`/api/lots?atLeast=${position}&limit=1`).expect(200);

  const focusedInDialog = () => page.evaluate(`document.activeElement !== null && document.activeElement.closest('dialog[open]') !== null`);
  const focusedId = () => page.evaluate('document.activeElement && document.activeElement.id');
  const expectNoRawCode = async (what: string) => expect({ what, shown: await page.evaluate(RAW_CODES_SHOWN) }).toEqual({ what, shown: [] });

  /** Walked to the store's sales zone, then a SAMPLE scanned by mistake at another store: a lot with an open CUSTODY_GAP, projected. */
  const openViolation = async () => {
    const { traceCode } = await registerLot(t, n, `VIO-${uid().toUpperCase()}`);
    await walkToStore(t, n, traceCode);
    const elsewhere = `RS2-${uid().toUpperCase()}`;
    await t.http().post('/api/facilities').send({ id: elsewhere, name: 'Another store', type: 'RETAIL_STORE', zones: [{ id: 'SALES-9', kind: 'DEDICATED_SALES' }] }).expect(201);
    const stray = await scanOk(t, { traceCode, facilityId: elsewhere, action: 'SAMPLE' });
    expect(stray.violations.map((v) => v.kind)).toEqual(['CUSTODY_GAP']);
    await projected(stray.position);
    const [violation] = (await lotOf(traceCode)).violations;
    expect(violation).toMatchObject({ kind: 'CUSTODY_GAP', status: 'OPEN' });
    return { traceCode, violation };
  };

  /** Opens the violation's resolve form on the lot page shown. */
  const openResolveForm = async (violationId: string) => {
    const item = page.locator(`#violations > li[data-violation-id="${violationId}"]`);
    await item.getByRole('button', { name: m('resolve.open'), exact: true }).click();
    const form = item.locator('form');
    await form.waitFor();
    return form;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    n = await registerNetwork(t, uid().toUpperCase());
    browser = await launchBrowser();
  });

  beforeEach(() => {
    pageProblems = [];
  });

  afterEach(async () => {
    await context?.close();
    expect(pageProblems.flat()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(LANGS)('%s: a recall names the lots its forward trace reaches and sends nothing until confirmed; Escape and Cancel change nothing; confirmed, every one is recalled', async (language) => {
    // R split into R1 and R2, R1 split into R11: a recall of R reaches four lots.
    const tag = uid().toUpperCase();
    const r = { r: `REC-${tag}`, r1: `REC-${tag}-1`, r2: `REC-${tag}-2`, r11: `REC-${tag}-1-1` };
    await registerLot(t, n, r.r, 60);
    await split(r.r, [r.r1, r.r2]);
    await projected((await split(r.r1, [r.r11])).position);
    const reach = await traceCodes(t, r.r, 'forward');
    expect([...reach].sort()).toEqual(Object.values(r).sort());

    await openBrowser(language);
    await openLot(r.r);
    const before = await recorded(reach);
    const reason = 'Positive swab on the outer packaging';
    await page.getByLabel(m('actions.reason')).fill(reason);
    const recall = page.getByRole('button', { name: m('actions.recall'), exact: true });
    await recall.click();

    // The question: how many lots, that it cannot be undone, and the reason that will be recorded.
    const dialog = page.getByRole('dialog', { name: m('confirm.recallTitle', { traceCode: r.r }) });
    await dialog.waitFor();
    expect(await dialog.locator('.confirm-statement').textContent()).toBe(counted('confirm.recall', reach.length));
    expect(await dialog.textContent()).toContain(m('confirm.reason', { reason }));
    expect(await focusedInDialog()).toBe(true);
    await expectConsolePageAtBothWidths(page, `console-recall-confirm${language === 'en' ? '-en' : ''}`);
    await expectFitsPhone(page, `recall confirmation (${language})`, 'dialog[open]');

    // Escape: closed, focus back on the button, nothing recorded.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedId()).toBe('action-recall');
    await page.getByText(m('confirm.cancelled')).waitFor();
    expect(await recorded(reach)).toEqual(before);

    // Cancel: the same.
    await recall.click();
    await dialog.getByRole('button', { name: m('confirm.cancel') }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedId()).toBe('action-recall');
    expect(await recorded(reach)).toEqual(before);
    expect((await lotOf(r.r)).status).not.toBe('RECALLED');

    // Confirmed by keyboard (Cancel has the focus; Tab to Confirm, Enter): every lot of the trace recalled.
    await recall.click();
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe(counted('confirm.recallYes', reach.length));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`^${m('recall.title').replace('{recallId}', '')}`), level: 1 }).waitFor();
    await page.getByText(counted('actions.recalled', reach.length, { traceCode: r.r }).split('{recallId}')[1]).waitFor();
    await waitFor('every lot of the trace recalled', async () => (await Promise.all(reach.map(lotOf))).every((l) => l.status === 'RECALLED'));
  });

  it.each(LANGS)('%s: destroying asks first, then the lot is destroyed as the API reports; a second destruction is refused in words', async (language) => {
    const { traceCode, position } = await registerLot(t, n, `DES-${uid().toUpperCase()}`, 20);
    await projected(position);
    await openBrowser(language);
    await openLot(traceCode);
    const before = await recorded([traceCode]);
    await page.getByLabel(m('actions.reason')).fill('Thawed in transit, unfit for sale');
    const destroy = page.getByRole('button', { name: m('actions.destroy'), exact: true });
    await destroy.click();

    const dialog = page.getByRole('dialog', { name: m('confirm.destroyTitle', { traceCode }) });
    await dialog.waitFor();
    expect(await dialog.locator('.confirm-statement').textContent()).toBe(m('confirm.destroy', { traceCode }));
    expect(await dialog.textContent()).toContain(m('confirm.destroyOnly'));
    expect(await focusedInDialog()).toBe(true);
    await expectAccessibleConsole(page, `destroy confirmation (${language})`);
    await expectNoRawCode(`destroy confirmation (${language})`);
    await dialog.getByRole('button', { name: m('confirm.cancel') }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await recorded([traceCode])).toEqual(before);

    await destroy.click();
    await dialog.getByRole('button', { name: m('confirm.destroyYes') }).click();
    await page.getByText(m('actions.destroyed', { traceCode })).waitFor();
    await page.locator('#lot-badges .badge[data-status]', { hasText: m('status.DESTROYED') }).waitFor();
    expect((await lotOf(traceCode)).status).toBe('DESTROYED');
    expect((await historyOf(traceCode)).filter((e) => e.type === 'LotDestroyed')).toHaveLength(1);

    // Again: asked again, then the API's refusal in words, nothing more recorded.
    const destroyed = await recorded([traceCode]);
    await page.getByLabel(m('actions.reason')).fill('Twice');
    await destroy.click();
    await dialog.getByRole('button', { name: m('confirm.destroyYes') }).click();
    const refused = page.locator('#action-result .problem[data-code="LOT_ALREADY_DESTROYED"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain(m('error.LOT_ALREADY_DESTROYED'));
    await expectNoRawCode(`a refused destruction (${language})`);
    expect(await recorded([traceCode])).toEqual(destroyed);
  });

  it.each(LANGS)('%s: an open violation resolved with a custody correction chosen from lists: a time before entry is refused in words, then the lot is corrected as the API reports', async (language) => {
    const { traceCode, violation } = await openViolation();
    await openBrowser(language);
    await openLot(traceCode);
    const item = page.locator(`#violations > li[data-violation-id="${violation.id}"]`);
    expect(await item.textContent()).toContain(m('violation.CUSTODY_GAP'));
    const open = item.getByRole('button', { name: m('resolve.open'), exact: true });
    const form = await openResolveForm(violation.id);
    expect(await open.getAttribute('aria-expanded')).toBe('true');
    const reason = form.getByLabel(m('resolve.reason'));
    expect(await page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('TEXTAREA');

    // The facilities as a list: every registered one, by name with the id beside.
    const facilities = ((await t.as(t.tokens.regulator).get('/api/facilities?limit=1000').expect(200)).body as { items: { id: string; name: string }[] }).items;
    const facility = form.getByLabel(m('resolve.facility'));
    const offered = await facility.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? '').filter((v) => v !== ''));
    expect(offered).toEqual(facilities.map((f) => f.id));
    expect(await facility.locator(`option[value="${n.store}"]`).textContent()).toContain(`Retail store (${n.store})`);
    const zone = form.getByLabel(m('resolve.zone'));
    expect(await zone.isDisabled()).toBe(true);

    // A missing reason, then a time before the lot entered the country: each said in words, nothing recorded.
    const before = await recorded([traceCode]);
    await form.getByRole('button', { name: m('resolve.submit') }).click();
    await form.getByText(m('resolve.needReason')).waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('Sampled by mistake at the wrong store; the lot never left the sales zone');
    await facility.selectOption(n.store);
    expect(await zone.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''))).toEqual(['', n.zones.storeSales, n.zones.storeGeneral]);
    await zone.selectOption(n.zones.storeSales);
    const time = form.getByLabel(m('resolve.time', { offset: 'UTC+08:00' }));
    await time.fill('2001-01-01T08:00');
    await form.getByRole('button', { name: m('resolve.submit') }).click();
    const refused = form.locator('.problem[data-code="OCCURRED_BEFORE_ENTRY"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain(m('error.OCCURRED_BEFORE_ENTRY'));
    expect(await recorded([traceCode])).toEqual(before);
    await expectConsolePageAtBothWidths(page, `console-resolve${language === 'en' ? '-en' : ''}`);
    await expectFitsPhone(page, `resolve form (${language})`, '#violations');

    // This minute at +08:00: after every scan so far, not in the future.
    const local = atOffset(new Date().toISOString()).replace(' ', 'T');
    await time.fill(local);
    await form.getByRole('button', { name: m('resolve.submit') }).click();
    await page.getByText(counted('resolve.done', 1, { kind: m('violation.CUSTODY_GAP') }), { exact: false }).waitFor();
    await page.getByRole('heading', { name: m('lot.title', { traceCode }), level: 1 }).waitFor();

    const after = await lotOf(traceCode);
    expect(after.violations).toEqual([expect.objectContaining({ id: violation.id, status: 'RESOLVED' })]);
    expect(after.holder).toMatchObject({ facilityId: n.store, zoneId: n.zones.storeSales });
    const corrected = (await historyOf(traceCode)).find((e) => e.type === 'CustodyCorrected');
    expect(corrected?.data).toMatchObject({ violationId: violation.id, facilityId: n.store, zoneId: n.zones.storeSales, occurredAt: new Date(`${local}:00+08:00`).toISOString() });
    // The page as the API: resolved, no Resolve button, the correction in the history and the holder's place.
    expect(await page.locator(`#violations > li[data-violation-id="${violation.id}"]`).textContent()).toContain(m('violationStatus.RESOLVED'));
    expect(await page.locator(`#violations > li[data-violation-id="${violation.id}"] button`).count()).toBe(0);
    expect(await page.locator('#history > li[data-event-type="CustodyCorrected"]').count()).toBe(1);
    expect(await page.locator('dl.facts').first().textContent()).toContain(`Retail store (${n.store})`);
    await expectNoRawCode(`a resolved violation (${language})`);
  });

  it('a violation resolved meanwhile (by another regulator): the form says so in words and records nothing', async () => {
    const { traceCode, violation } = await openViolation();
    await openBrowser('zh-CN');
    await openLot(traceCode);
    const form = await openResolveForm(violation.id);
    await t.as(t.tokens.regulator).post(`/api/lots/${traceCode}/violations/${violation.id}/resolve`).send({ reason: 'Resolved at the desk' }).expect(200);
    const before = await recorded([traceCode]);
    await form.getByLabel(m('resolve.reason')).fill('Resolved in the console too');
    await form.getByRole('button', { name: m('resolve.submit') }).click();
    const refused = form.locator('.problem[data-code="VIOLATION_ALREADY_RESOLVED"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain(m('error.VIOLATION_ALREADY_RESOLVED'));
    await expectNoRawCode('a violation resolved meanwhile');
    expect(await recorded([traceCode])).toEqual(before);
  });
});
