import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import type { MessageKey } from '../../apps/console/src/messages-en';
import { expectAccessibleConsole, launchBrowser, watchPageProblems } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { atOffset, expectConsolePageAtBothWidths, LANGS, RAW_CODES_SHOWN, say, type Lang } from '../support/console-page';
import { registerLot, registerNetwork, uid } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The console's audit page (#/audit) and its downloads, in a real Chromium
 * against the real API and PostgreSQL, in Chinese and in English: a digest
 * taken, copied and pasted back says consistent (a tampered one not), a lot's
 * chain verifies; the lot page's trace spreadsheets and EPCIS export and the
 * recall page's spreadsheet download as the API answers them, fetched with
 * the token in the header (never in a URL). Checked with axe-core and for raw
 * codes, at desktop width and 390 px.
 */

interface LogDigest {
  position: number;
  digest: string;
  computedAt: string;
  signingKeyId: string;
}

interface DigestCheck {
  consistent: boolean;
  valid: boolean;
  events: number;
}

interface EpcisDocument {
  type: string;
  epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
}

describeNeeding('chromium', __filename)("regulator's console: audit and downloads (e2e, real PostgreSQL, real Chromium)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageProblems: string[];
  /** Every URL the page asked for: none may hold the token. */
  let requested: string[];
  /** A container split into A and B, B split into B1; B recalled (so B and B1). */
  let lots: { container: string; a: string; b: string; b1: string };
  let recallId: string;

  let lang: Lang = 'zh-CN';
  const m = (key: MessageKey, params: Record<string, string | number> = {}) => say(lang, key, params);
  /** A number as the console writes it (positions may pass 999, so grouped). */
  const num = (n: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 3 }).format(n);

  const openBrowser = async (language: Lang) => {
    lang = language;
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: language, acceptDownloads: true });
    page = await context.newPage();
    pageProblems = watchPageProblems(page);
    requested = [];
    page.on('request', (r) => requested.push(r.url()));
  };

  const signIn = async () => {
    await page.goto(`${base}/console`);
    await page.getByLabel(m('signIn.tokenLabel')).fill(t.tokens.regulator);
    await page.getByRole('button', { name: m('signIn.button') }).click();
    await page.getByRole('heading', { name: m('lots.title'), level: 1 }).waitFor();
  };

  /** No raw code, no serious axe violation, nothing wider than the screen, at desktop width and 390 px; the Chinese page's screenshots are the README's. */
  const checkPage = (name: string, inReadme = true) => expectConsolePageAtBothWidths(page, `console-${name}${lang === 'en' ? '-en' : ''}`, inReadme);

  /** The API's own answer, byte for byte. */
  const apiBytes = async (path: string): Promise<{ bytes: Buffer; disposition: string }> => {
    const res = await t
      .as(t.tokens.regulator)
      .get(path)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return { bytes: res.body as Buffer, disposition: res.headers['content-disposition'] as string };
  };

  /** Presses a download button and answers the file the browser saved. */
  const download = async (button: string): Promise<{ name: string; bytes: Buffer }> => {
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
    return { name: (saved as Download).suggestedFilename(), bytes: readFileSync((await saved.path())!) };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const tag = uid().toUpperCase();
    const n = await registerNetwork(t, tag);
    lots = { container: `AUD-${tag}`, a: `AUD-${tag}-A`, b: `AUD-${tag}-B`, b1: `AUD-${tag}-B1` };
    await registerLot(t, n, lots.container, 100);
    await t.http().post(`/api/lots/${lots.container}/splits`).send({ splitId: `SPLIT-${uid()}`, children: [{ traceCode: lots.a, quantity: 40 }, { traceCode: lots.b, quantity: 40 }] }).expect(201);
    await t.http().post(`/api/lots/${lots.b}/splits`).send({ splitId: `SPLIT-${uid()}`, children: [{ traceCode: lots.b1, quantity: 10 }] }).expect(201);
    const recalled = await t.http().post(`/api/lots/${lots.b}/recall`).send({ reason: 'Positive swab on lot B' }).expect(201);
    recallId = recalled.body.recallId as string;
    // Everything projected before the browser looks.
    await t.as(t.tokens.regulator).get(`/api/recalls/${recallId}?atLeast=${recalled.body.position as number}`).expect(200);
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await context?.close();
    expect(pageProblems).toEqual([]);
    expect(requested.filter((url) => url.includes(t.tokens.regulator))).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(LANGS)('%s: a digest taken and copied, then pasted back, says consistent; a tampered one not; a lot\'s chain verifies valid', async (language) => {
    await openBrowser(language);
    if (language === 'zh-CN') await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    else await page.addInitScript("Object.defineProperty(navigator, 'clipboard', { value: undefined })");
    await signIn();
    await page.getByRole('link', { name: m('nav.audit') }).click();
    await page.getByRole('heading', { name: m('audit.title'), level: 1 }).waitFor();
    expect(page.url()).toBe(`${base}/console#/audit`);

    // Take a digest: position, time (one format), signing key, the JSON to keep.
    await page.getByRole('button', { name: m('audit.take.button'), exact: true }).click();
    const kept = page.getByLabel(m('audit.digest.keep'));
    await kept.waitFor();
    const taken = JSON.parse(await kept.inputValue()) as LogDigest;
    const keys = (await t.anonymous().get('/api/audit/keys').expect(200)).body as { currentKeyId: string };
    expect(taken.signingKeyId).toBe(keys.currentKeyId);
    const shown = await page.locator('#digest-taken dl.facts dd').allTextContents();
    expect(shown).toEqual([num(taken.position), atOffset(taken.computedAt), taken.signingKeyId, expect.any(String), taken.digest]);

    // Copy: to the clipboard where the browser offers one; else the text is left selected, and the page says so.
    await page.getByRole('button', { name: m('audit.copy'), exact: true }).click();
    if (language === 'zh-CN') {
      await page.getByText(m('audit.copied')).waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(await kept.inputValue());
    } else {
      await page.getByText(m('audit.copyFailed')).waitFor();
      expect(await kept.evaluate((el) => { const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number }; return area.value.slice(area.selectionStart, area.selectionEnd); })).toBe(await kept.inputValue());
    }
    await checkPage('audit-digest', false);

    // Pasted back as copied: consistent, and valid as the API says.
    const api = (await t.as(t.tokens.regulator).post('/api/audit/digest/verify').send({ position: taken.position, digest: taken.digest }).expect(200)).body as DigestCheck;
    expect(api).toMatchObject({ consistent: true, valid: true });
    await page.getByLabel(m('audit.verify.paste')).fill(await kept.inputValue());
    expect(await page.getByLabel(m('audit.verify.position')).inputValue()).toBe(String(taken.position));
    await page.getByRole('button', { name: m('audit.verify.button'), exact: true }).click();
    const consistent = page.locator('#digest-consistent');
    await consistent.waitFor({ timeout: 120_000 });
    expect(await consistent.textContent()).toBe(`✓ ${m('audit.verify.consistent', { position: num(taken.position) })}`);
    expect(await page.locator('#digest-valid').textContent()).toBe(`✓ ${m('audit.verify.valid')}`);
    expect(await page.locator('#verify-digest-result dl.facts dd').allTextContents()).toEqual([taken.digest, num(api.events), expect.any(String)]);
    await checkPage('audit-verified');

    // A tampered digest (one digit changed), given as position:digest: not consistent.
    const tampered = `${taken.digest.slice(0, -1)}${taken.digest.endsWith('0') ? '1' : '0'}`;
    await page.getByLabel(m('audit.verify.paste')).fill(`${taken.position}:${tampered}`);
    expect(await page.getByLabel(m('audit.verify.digest')).inputValue()).toBe(tampered);
    await page.getByRole('button', { name: m('audit.verify.button'), exact: true }).click();
    await page.getByText(m('audit.verify.inconsistent', { position: num(taken.position) })).waitFor({ timeout: 120_000 });
    expect(await consistent.getAttribute('data-ok')).toBe('false');

    // What cannot be a digest is told in words, before any request.
    await page.getByLabel(m('audit.verify.paste')).fill('');
    await page.getByLabel(m('audit.verify.position')).fill('');
    await page.getByRole('button', { name: m('audit.verify.button'), exact: true }).click();
    await page.getByText(m('audit.verify.needPosition')).waitFor();
    expect(await page.getByLabel(m('audit.verify.position')).getAttribute('aria-invalid')).toBe('true');

    // A lot's chain: valid, with its events counted as the API counts them.
    const chain = (await t.as(t.tokens.regulator).get(`/api/audit/lots/${lots.b}/verify`).expect(200)).body as { valid: boolean; events: number };
    expect(chain.valid).toBe(true);
    await page.getByLabel(m('audit.lot.traceCode')).fill(lots.b);
    await page.getByRole('button', { name: m('audit.lot.button'), exact: true }).click();
    await page.locator('#chain-verdict').waitFor();
    expect(await page.locator('#chain-verdict').textContent()).toBe(`✓ ${m('audit.lot.valid', { traceCode: lots.b })}`);
    expect((await page.locator('#verify-chain-result dl.facts dd').allTextContents())[0]).toBe(num(chain.events));
    await checkPage('audit-chain');

    // An unknown lot: the error code in words.
    await page.getByLabel(m('audit.lot.traceCode')).fill(`NOPE-${uid()}`);
    await page.getByRole('button', { name: m('audit.lot.button'), exact: true }).click();
    await page.locator('#verify-chain-result .problem').getByText(m('error.LOT_NOT_FOUND')).waitFor();
    expect({ shown: await page.evaluate(RAW_CODES_SHOWN) }).toEqual({ shown: [] });
  });

  it.each(LANGS)('%s: the lot page downloads its trace spreadsheets and EPCIS export, the recall page its spreadsheet, each as the API answers it', async (language) => {
    await openBrowser(language);
    await signIn();
    await page.goto(`${base}/console#/lots/${lots.b}`);
    await page.getByRole('heading', { name: m('downloads.heading'), level: 2 }).waitFor();

    for (const direction of ['forward', 'backward'] as const) {
      const saved = await download(m(direction === 'forward' ? 'downloads.traceForward' : 'downloads.traceBackward'));
      const api = await apiBytes(`/api/lots/${lots.b}/trace.csv?direction=${direction}`);
      expect(api.disposition).toBe(`attachment; filename="${saved.name}"`);
      expect(saved.name).toBe(`trace-${lots.b}-${direction}.csv`);
      expect(saved.bytes.equals(api.bytes)).toBe(true);
      await page.getByText(m('downloads.done', { file: saved.name })).waitFor();
    }

    const epcis = await download(m('downloads.epcis'));
    expect(epcis.name).toBe(`epcis-${lots.b}.jsonld`);
    const doc = JSON.parse(epcis.bytes.toString('utf8')) as EpcisDocument;
    const api = (await t.as(t.tokens.regulator).get(`/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:coldtrace:lot:${lots.b}`)}&perPage=1000`).expect(200)).body as EpcisDocument;
    expect(doc.type).toBe('EPCISQueryDocument');
    const ids = doc.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID);
    expect(ids).toEqual(api.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID));
    // Its registration (as the container's split), its own split, its recall: the lot's events, and only those the API names.
    expect(ids.length).toBeGreaterThanOrEqual(3);
    await checkPage('lot-downloads', false);

    await page.goto(`${base}/console#/recalls/${encodeURIComponent(recallId)}`);
    await page.getByRole('heading', { name: m('downloads.heading'), level: 2 }).waitFor();
    const recall = await download(m('downloads.recall'));
    const recallApi = await apiBytes(`/api/recalls/${encodeURIComponent(recallId)}/export.csv`);
    expect(recallApi.disposition).toBe(`attachment; filename="${recall.name}"`);
    expect(recall.bytes.equals(recallApi.bytes)).toBe(true);
    expect(recall.bytes.toString('utf8')).toContain(lots.b1);
    await page.getByText(m('downloads.done', { file: recall.name })).waitFor();
    expect({ shown: await page.evaluate(RAW_CODES_SHOWN) }).toEqual({ shown: [] });
    await expectAccessibleConsole(page, `recall page with its download (${lang})`);
  });
});
