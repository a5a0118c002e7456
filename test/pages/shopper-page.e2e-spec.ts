import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { QR_OPTIONS, QR_PNG_WIDTH } from '../../apps/api/src/lots/queries/get-lot-qr-code/get-lot-qr-code.render';
import { launchBrowser, PHONE, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { describeNeeding } from '../support/needs';
import { createTestApp, TestApp } from '../support/test-app';
import { Network, registerLot, registerNetwork, uid, walkToStore } from '../support/fixtures';

/**
 * The shopper's page behind the code on the pack, in the system's Chromium on
 * a phone: the verdict first and in words, the product, origin, path and
 * papers, in Chinese or English, nothing the public view leaves out, friendly
 * pages for every failure, and axe-core's serious and critical rules. Then
 * the code itself: an SVG or PNG of the page's address, for a lot the caller
 * may read.
 */

const BASE_URL = 'https://trace.example.test';

describeNeeding('chromium', __filename)("the shopper's page and the code on the pack (e2e, real PostgreSQL, Chromium)", () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let n: Network;
  let onSale: string;
  let recalled: string;
  const recallReason = `Salmonella found in sibling lot ${uid()}`;

  beforeAll(async () => {
    // Every page load counts against the per-address limit; this file loads many from one address.
    t = await createTestApp({ publicRateLimitPerMinute: 10_000, publicBaseUrl: BASE_URL });
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();

    n = await registerNetwork(t);
    onSale = (await registerLot(t, n)).traceCode;
    const sold = await walkToStore(t, n, onSale);
    recalled = (await registerLot(t, n)).traceCode;
    await walkToStore(t, n, recalled);
    const recall = await t.http().post(`/api/lots/${recalled}/recall`).send({ reason: recallReason }).expect(201);
    // The page reads the read model as it is: wait until it has both lots' last events.
    await t.anonymous().get(`/api/public/lots/${onSale}?atLeast=${sold.position}`).expect(200);
    await t.anonymous().get(`/api/public/lots/${recalled}?atLeast=${recall.body.position}`).expect(200);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const phone = (locale: string, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> =>
    browser.newContext({ ...PHONE, locale, extraHTTPHeaders: { 'accept-language': locale }, ...options });

  const open = async (context: BrowserContext, path: string): Promise<{ page: Page; status: number; headers: Record<string, string> }> => {
    const page = await context.newPage();
    const res = await page.goto(`${origin}${path}`);
    return { page, status: res!.status(), headers: res!.headers() };
  };

  /** Everything the regulator sees of a lot that the shopper must not: ids, numbers, names of keys, plates, zones. */
  const privateValues = async (traceCode: string): Promise<string[]> => {
    const lot = (await t.http().get(`/api/lots/${traceCode}`).expect(200)).body;
    const history = (await t.http().get(`/api/lots/${traceCode}/history`).expect(200)).body;
    const events = history.events as { scanId: string | null; actor: { keyId: string | null; name: string } | null }[];
    const values = [
      ...lot.importers,
      ...lot.documents.map((d: { number: string }) => d.number),
      ...Object.values(n.zones),
      'TRUCK-1',
      ...events.flatMap((e) => (e.scanId ? [e.scanId] : [])),
      ...events.flatMap((e) => (e.actor ? [e.actor.keyId, e.actor.name].filter((v): v is string => v !== null) : [])),
      ...lot.recalls.flatMap((r: { recallId: string; reason: string }) => [r.recallId, r.reason]),
      n.port,
      n.warehouse,
      n.market,
      n.store,
    ];
    expect(values.length).toBeGreaterThan(20);
    return values;
  };

  const expectNothingPrivate = async (page: Page, traceCode: string) => {
    const dom = await page.content();
    for (const value of await privateValues(traceCode)) expect({ value, leaked: dom.includes(String(value)) }).toEqual({ value, leaked: false });
    expect(dom).not.toMatch(/<script/i);
  };

  const expectAccessible = async (page: Page) => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  };

  it('an on-sale lot on a phone, in English: the verdict in words, origin, the path with dates, four valid papers, nothing private', async () => {
    const context = await phone('en-US');
    try {
      const { page, status, headers } = await open(context, `/t/${onSale}`);
      expect(status).toBe(200);
      expect(headers['content-type']).toBe('text/html; charset=utf-8');
      expect(headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'self' data:;.* frame-ancestors 'none'$/);
      expect(headers['content-language']).toBe('en');
      expect(await page.getAttribute('html', 'lang')).toBe('en');

      const verdict = page.locator('main > section.verdict');
      expect(await verdict.getAttribute('data-status')).toBe('ON_SALE');
      expect(await verdict.locator('.verdict-title').innerText()).toContain('On sale');
      expect(await page.locator('h1').innerText()).toBe('Frozen beef');
      expect(await page.locator('.origin').innerText()).toBe('Brazil (BR)');

      const stops = page.locator('ol.path > li');
      expect(await stops.locator('.stop-type').allInnerTexts()).toEqual(['Port of entry', 'Central warehouse', 'Wholesale market', 'Retail store']);
      expect(await stops.locator('.stop-name').allInnerTexts()).toEqual(['Port of entry', 'Central warehouse', 'Wholesale market', 'Retail store']);
      // Every stop arrived with a date; all but the store were left.
      expect(await stops.locator('time').count()).toBe(7);
      for (const text of await stops.allInnerTexts()) expect(text).toMatch(/Arrived \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

      const papers = page.locator('ul.certs > li');
      expect(await papers.evaluateAll((items) => items.map((i) => i.getAttribute('data-certificate')))).toEqual([
        'CUSTOMS_DECLARATION',
        'INSPECTION_QUARANTINE',
        'NUCLEIC_ACID_TEST',
        'DISINFECTION',
      ]);
      // Colour is never alone: each paper says its state in words and carries an icon.
      expect(await papers.locator('.cert-state').allInnerTexts()).toEqual(['Valid', 'Valid', 'Valid', 'Valid']);
      expect(await papers.locator('.icon').allInnerTexts()).toEqual(['✓', '✓', '✓', '✓']);
      expect(await page.locator('footer code').innerText()).toBe(onSale);

      await expectNothingPrivate(page, onSale);
      await expectAccessible(page);
      await screenshot(page, 'shopper-on-sale-phone');
      // Readable on a 360-pixel screen: nothing wider than the viewport.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    } finally {
      await context.close();
    }
  });

  it('a recalled lot says so first, in red and in words, before the product; still nothing private (not even the recall reason)', async () => {
    const context = await phone('en-US');
    try {
      const { page, status } = await open(context, `/t/${recalled}`);
      expect(status).toBe(200);
      const first = page.locator('main > :first-child');
      expect(await first.getAttribute('data-status')).toBe('RECALLED');
      expect(await first.innerText()).toMatch(/^!\s*Recalled: do not eat\s+The authorities have recalled this lot\. Do not eat it/);
      expect(await page.evaluate("getComputedStyle(document.querySelector('main > :first-child')).backgroundColor")).toBe('rgb(183, 28, 28)');
      const banner = (await first.boundingBox())!;
      const product = (await page.locator('h1').boundingBox())!;
      expect(banner.y + banner.height).toBeLessThanOrEqual(product.y);
      expect(await page.title()).toMatch(/^Frozen beef: Recalled: do not eat/);

      // The recall is the lot's, not its papers': they stay valid, the path stays shown.
      expect(await page.locator('ul.certs .cert-state').allInnerTexts()).toEqual(['Valid', 'Valid', 'Valid', 'Valid']);
      expect(await page.locator('ol.path > li').count()).toBe(4);

      await expectNothingPrivate(page, recalled);
      expect(await page.content()).not.toContain(recallReason);
      await expectAccessible(page);
      await screenshot(page, 'shopper-recalled-phone');
    } finally {
      await context.close();
    }
  });

  it('needs no JavaScript: the same page reads the same with scripts off', async () => {
    const context = await phone('en-US', { javaScriptEnabled: false });
    try {
      const { page, status } = await open(context, `/t/${recalled}`);
      expect(status).toBe(200);
      expect(await page.locator('main > section.verdict .verdict-title').innerText()).toContain('Recalled: do not eat');
      expect(await page.locator('ol.path > li').count()).toBe(4);
    } finally {
      await context.close();
    }
  });

  it('speaks Chinese to a Chinese phone, country names included; ?lang= overrides the browser either way', async () => {
    const zh = await phone('zh-CN');
    try {
      const { page, headers } = await open(zh, `/t/${onSale}`);
      expect(headers['content-language']).toBe('zh-CN');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.locator('main > section.verdict .verdict-title').innerText()).toContain('可以销售');
      expect(await page.locator('.origin').innerText()).toBe('巴西 (BR)');
      expect(await page.locator('ol.path .stop-type').allInnerTexts()).toEqual(['入境口岸', '集中监管仓', '批发市场', '零售门店']);
      expect(await page.locator('ul.certs .cert-name').allInnerTexts()).toEqual(['报关单', '检验检疫证明', '核酸检测报告', '消毒证明']);
      expect(await page.locator('ul.certs .cert-state').allInnerTexts()).toEqual(['有效', '有效', '有效', '有效']);
      await expectAccessible(page);
      await screenshot(page, 'shopper-on-sale-phone-zh');

      // The language links keep the shopper on the same lot.
      await page.getByRole('link', { name: 'English' }).click();
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/t/${onSale}?lang=en`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.locator('main > section.verdict .verdict-title').innerText()).toContain('On sale');

      const recalledZh = await open(zh, `/t/${recalled}`);
      expect(await recalledZh.page.locator('main > :first-child .verdict-title').innerText()).toContain('已召回，请勿食用');
    } finally {
      await zh.close();
    }
    const en = await phone('en-GB');
    try {
      const { page } = await open(en, `/t/${onSale}?lang=zh`);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    } finally {
      await en.close();
    }

    // Without a browser: the header's weights decide; anything not Chinese is English.
    const lang = async (acceptLanguage: string, query = '') =>
      /<html lang="([^"]+)">/.exec((await t.anonymous().get(`/t/${onSale}${query}`).set('accept-language', acceptLanguage).expect(200)).text)![1];
    expect(await lang('zh-TW,zh;q=0.9')).toBe('zh-CN');
    expect(await lang('fr-FR, zh;q=0.8, en;q=0.5')).toBe('zh-CN');
    expect(await lang('fr-FR,fr;q=0.9')).toBe('en');
    expect(await lang('zh-CN', '?lang=en')).toBe('en');
    expect(await lang('zh-CN', '?lang=xx')).toBe('zh-CN');
  });

  it('an unknown code: a friendly 404 page in the shopper\'s language, never JSON', async () => {
    const code = `NOPE-${uid()}`;
    const context = await phone('en-US');
    try {
      const { page, status, headers } = await open(context, `/t/${code}`);
      expect(status).toBe(404);
      expect(headers['content-type']).toBe('text/html; charset=utf-8');
      expect(headers['content-security-policy']).toMatch(/style-src 'sha256-/);
      expect(await page.locator('h1').innerText()).toBe('We could not find this code');
      expect(await page.locator('main code').innerText()).toBe(code);
      expect(await page.content()).not.toMatch(/"code"|LOT_NOT_FOUND|\bat \w+ \(/);
      await expectAccessible(page);
      await screenshot(page, 'shopper-not-found-phone');
    } finally {
      await context.close();
    }
    const zh = await t.anonymous().get(`/t/${code}`).set('accept-language', 'zh-CN');
    expect({ status: zh.status, type: zh.headers['content-type'] }).toEqual({ status: 404, type: 'text/html; charset=utf-8' });
    expect(zh.text).toContain('未找到此追溯码');
    // Only /t/ serves the page: it is not under the API's prefix, and the JSON view is unchanged.
    const underApi = await t.anonymous().get(`/api/t/${onSale}`);
    expect({ status: underApi.status, code: underApi.body.code }).toEqual({ status: 404, code: 'ROUTE_NOT_FOUND' });
    const json = await t.anonymous().get(`/api/public/lots/${code}`);
    expect({ status: json.status, code: json.body.code }).toEqual({ status: 404, code: 'LOT_NOT_FOUND' });
  });

  it('a malformed link (a NUL in the code) gets a page too, not the API\'s 400 body', async () => {
    const res = await t.anonymous().get('/t/BAD%00CODE').set('accept-language', 'en');
    expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 400, type: 'text/html; charset=utf-8' });
    expect(res.text).toContain('This link is not valid');
    expect(res.text).not.toMatch(/VALIDATION_FAILED|"code"/);
  });

  it('a link that cannot even be decoded (a stray %) gets the page too, before any route runs', async () => {
    for (const path of ['/t/BAD%E0%A4%A', '/t/50%']) {
      const res = await t.anonymous().get(path).set('accept-language', 'en');
      expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({ path, status: 400, type: 'text/html; charset=utf-8' });
      expect(res.text).toContain('This link is not valid');
      // The page's own policy (its one inline style admitted), not the API's bare default-src 'none'.
      expect(res.headers['content-security-policy']).toContain('style-src');
    }
  });

  it('too many look-ups from one address: a 429 page with Retry-After, in the shopper\'s language', async () => {
    const limited = await createTestApp({ publicRateLimitPerMinute: 2 });
    try {
      const code = `NOPE-${uid()}`;
      await limited.anonymous().get(`/t/${code}`).expect(404);
      // The page and the JSON view share the address's budget: a scraper gains nothing by switching.
      await limited.anonymous().get(`/api/public/lots/${code}`).expect(404);
      const refused = await limited.anonymous().get(`/t/${code}`).set('accept-language', 'zh-CN');
      expect({ status: refused.status, type: refused.headers['content-type'] }).toEqual({ status: 429, type: 'text/html; charset=utf-8' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.text).toContain('查询过于频繁');
      expect(refused.text).not.toMatch(/RATE_LIMITED|"code"/);
    } finally {
      await limited.close();
    }
  });

  describe('the code on the pack', () => {
    const pageUrl = (traceCode: string) => `${BASE_URL}/t/${encodeURIComponent(traceCode)}`;

    it('SVG: a well-formed SVG document encoding PUBLIC_BASE_URL/t/<code>, for each role that may read the lot', async () => {
      const expected = await QRCode.toString(pageUrl(onSale), { ...QR_OPTIONS, type: 'svg' });
      for (const token of [t.tokens.regulator, t.tokens.inspector]) {
        const res = await t.as(token).get(`/api/lots/${onSale}/qr.svg`).buffer(true).parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('image/svg+xml');
        const svg = (res.body as Buffer).toString('utf8');
        expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 \d+ \d+"[^>]*>[\s\S]*<\/svg>\s*$/);
        expect(svg).toBe(expected);
      }
      // Another lot's code is another picture: the code carries the lot's own address.
      expect(await QRCode.toString(pageUrl(recalled), { ...QR_OPTIONS, type: 'svg' })).not.toBe(expected);
      // The address it carries opens the lot's page.
      const page = await t.anonymous().get(new URL(pageUrl(onSale)).pathname).expect(200);
      expect(page.text).toContain(`<code>${onSale}</code>`);
    });

    it('PNG: a PNG of the same address, 512 pixels across', async () => {
      const res = await t.as(t.tokens.regulator).get(`/api/lots/${onSale}/qr.png`).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      const png = res.body as Buffer;
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([QR_PNG_WIDTH, QR_PNG_WIDTH]);
      expect(png.equals(await QRCode.toBuffer(pageUrl(onSale), { ...QR_OPTIONS, type: 'png', width: QR_PNG_WIDTH }))).toBe(true);
    });

    it('only for a lot the caller may read: an operator of the lot\'s sites yes, another firm\'s operator 404, no key 401, an unknown code 404', async () => {
      const own = await t.issueKey('OPERATOR', [n.store]);
      await t.as(own.token).get(`/api/lots/${onSale}/qr.svg`).expect(200);
      await t.as(own.token).get(`/api/lots/${onSale}/qr.png`).expect(200);

      const other = await registerNetwork(t);
      const outsider = await t.issueKey('OPERATOR', [other.store]);
      for (const format of ['svg', 'png']) {
        const hidden = await t.as(outsider.token).get(`/api/lots/${onSale}/qr.${format}`);
        expect({ format, status: hidden.status, code: hidden.body.code }).toEqual({ format, status: 404, code: 'LOT_NOT_FOUND' });
        const unknown = await t.as(t.tokens.regulator).get(`/api/lots/NOPE-${uid()}/qr.${format}`);
        expect({ format, status: unknown.status, code: unknown.body.code }).toEqual({ format, status: 404, code: 'LOT_NOT_FOUND' });
        const anonymous = await t.anonymous().get(`/api/lots/${onSale}/qr.${format}`);
        expect({ format, status: anonymous.status, code: anonymous.body.code }).toEqual({ format, status: 401, code: 'UNAUTHENTICATED' });
      }
      const admin = await t.as(t.tokens.admin).get(`/api/lots/${onSale}/qr.svg`);
      expect({ status: admin.status, code: admin.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it('a lot registered a moment ago: ?atLeast= waits for it, as the lot reads do', async () => {
      const fresh = await registerLot(t, n);
      await t.as(t.tokens.regulator).get(`/api/lots/${fresh.traceCode}/qr.svg?atLeast=${fresh.position}`).expect(200);
    });
  });
});
