import { CONSUMER_STATUSES, type ConsumerStatus } from '@app/domain';
import type { PublicLotView } from '../../queries/get-public-lot/get-public-lot.query';
import { renderLotPage, renderNoticePage, type PageTemperatures } from './shopper-page.html';
import { PAGE_CSP, PAGE_STYLE, PAGE_STYLE_SOURCE } from './shopper-page.style';
import { shopperPageUrl } from './shopper-page.url';
import { createHash } from 'node:crypto';

const view = (over: Partial<PublicLotView> = {}): PublicLotView => ({
  traceCode: 'BEEF-2026-0001',
  product: { name: 'Frozen beef brisket', category: 'FROZEN', gtin: null },
  originCountries: ['BR'],
  path: [
    { facilityName: 'Shanghai Yangshan port', facilityType: 'PORT_OF_ENTRY', arrivedAt: '2026-11-20T08:00:00.000Z', departedAt: '2026-11-21T06:00:00.000Z' },
    { facilityName: 'Central warehouse No. 1', facilityType: 'CENTRAL_WAREHOUSE', arrivedAt: '2026-11-21T07:10:00.000Z', departedAt: '2026-11-22T05:00:00.000Z' },
    { facilityName: 'Jiangqiao wholesale market', facilityType: 'WHOLESALE_MARKET', arrivedAt: '2026-11-22T06:00:00.000Z', departedAt: '2026-11-23T05:00:00.000Z' },
    { facilityName: 'Corner supermarket', facilityType: 'RETAIL_STORE', arrivedAt: '2026-11-23T07:00:00.000Z', departedAt: null },
  ],
  certificates: [
    { type: 'CUSTOMS_DECLARATION', present: true, valid: true, issuer: 'Shanghai Customs', issuedAt: '2026-11-20T09:00:00.000Z' },
    { type: 'INSPECTION_QUARANTINE', present: true, valid: true, issuer: 'Shanghai Customs', issuedAt: '2026-11-20T10:00:00.000Z' },
    { type: 'NUCLEIC_ACID_TEST', present: true, valid: false, issuer: 'Pudong CDC lab', issuedAt: '2026-11-21T08:00:00.000Z' },
    { type: 'DISINFECTION', present: false, valid: false, issuer: null, issuedAt: null },
  ],
  status: 'ON_SALE',
  evaluatedAt: '2026-11-23T10:00:00.000Z',
  ...over,
});

const CTX_EN = { language: 'en', timeZoneOffset: '+08:00' } as const;
const CTX_ZH = { language: 'zh', timeZoneOffset: '+08:00' } as const;

/** The text of the page's <main>, tags dropped. */
const mainText = (page: string): string => page.slice(page.indexOf('<main>'), page.indexOf('</main>')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the shopper page (HTML)', () => {
  it('escapes every value from the data: names, issuers and the trace code carry no markup into the page', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const page = renderLotPage(
      view({
        traceCode: evil,
        product: { name: evil, category: 'FROZEN', gtin: null },
        path: [{ facilityName: evil, facilityType: 'PORT_OF_ENTRY', arrivedAt: '2026-11-20T08:00:00.000Z', departedAt: null }],
        certificates: [{ type: 'DISINFECTION', present: true, valid: true, issuer: evil, issuedAt: '2026-11-20T08:00:00.000Z' }],
      }),
      CTX_EN,
    );
    expect(page).not.toContain('<img');
    expect(page).not.toContain('onerror=alert(1)>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(renderNoticePage('notFound', CTX_EN, evil)).not.toContain('<img');
  });

  it('has no script, a language, a viewport for phones and only the style its CSP admits by hash', () => {
    const page = renderLotPage(view(), CTX_EN);
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(page).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.match(/<style>/g)).toHaveLength(1);
    expect(page).toContain(`<style>${PAGE_STYLE}</style>`);
    expect(PAGE_STYLE_SOURCE).toBe(`'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`);
    expect(PAGE_CSP).toContain(`style-src ${PAGE_STYLE_SOURCE}`);
    expect(PAGE_CSP).not.toMatch(/unsafe|script-src/);
    expect(renderLotPage(view(), CTX_ZH)).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
  });

  it('says each verdict in words, in both languages, with an icon beside it', () => {
    const titles: Record<ConsumerStatus, [string, string]> = {
      ON_SALE: ['On sale', '可以销售'],
      NOT_FOR_SALE: ['Not for sale', '暂不可销售'],
      RECALLED: ['Recalled: do not eat', '已召回，请勿食用'],
      SOLD_OUT: ['Sold out', '已售罄'],
      DESTROYED: ['Destroyed', '已销毁'],
    };
    for (const status of CONSUMER_STATUSES) {
      const [en, zh] = titles[status];
      for (const [ctx, title] of [[CTX_EN, en], [CTX_ZH, zh]] as const) {
        const page = renderLotPage(view({ status }), ctx);
        expect(page).toContain(`<section class="verdict s-${status}"`);
        expect(page).toMatch(new RegExp(`<p class="verdict-title"><span class="icon" aria-hidden="true">[^<]+</span><span>${title}</span></p>`));
      }
    }
  });

  it('puts the verdict first: a recalled lot says so before the product', () => {
    const page = renderLotPage(view({ status: 'RECALLED' }), CTX_EN);
    const main = page.slice(page.indexOf('<main>'));
    expect(main.indexOf('Recalled: do not eat')).toBeGreaterThan(0);
    expect(main.indexOf('Recalled: do not eat')).toBeLessThan(main.indexOf('Frozen beef brisket'));
    expect(main).toMatch(/^<main>\n<section class="verdict s-RECALLED"/);
    expect(page).toContain('<title>Frozen beef brisket: Recalled: do not eat · ');
  });

  it('shows the product, origin countries by name, the path with local times, and each certificate in words', () => {
    const text = mainText(renderLotPage(view({ originCountries: ['BR', 'AR'] }), CTX_EN));
    expect(text).toContain('Frozen beef brisket Frozen food');
    expect(text).toContain('Countries of origin Brazil (BR), Argentina (AR)');
    expect(text).toContain('Port of entry Shanghai Yangshan port Arrived 2026-11-20 16:00 Left 2026-11-21 14:00');
    expect(text).toContain('Retail store Corner supermarket Arrived 2026-11-23 15:00 ');
    expect(text).not.toContain('Corner supermarket Arrived 2026-11-23 15:00 Left');
    expect(text).toContain('Customs declaration Valid Issued by Shanghai Customs · 2026-11-20 17:00');
    expect(text).toContain('Nucleic-acid test Not valid (expired or failed)');
    expect(text).toContain('Disinfection certificate Missing');

    const zh = mainText(renderLotPage(view(), CTX_ZH));
    expect(zh).toContain('原产国 巴西 (BR)');
    expect(zh).toContain('入境口岸 Shanghai Yangshan port 到达 2026-11-20 16:00 离开 2026-11-21 14:00');
    expect(zh).toContain('报关单 有效 签发机构：Shanghai Customs · 2026-11-20 17:00');
    expect(zh).toContain('消毒证明 未提供');
    expect(zh).toContain('核酸检测报告 无效（已过期或不合格）');
  });

  it('marks each certificate with an icon and a class as well as words, so colour is never alone', () => {
    const page = renderLotPage(view(), CTX_EN);
    expect(page).toMatch(/<li class="ok" data-certificate="CUSTOMS_DECLARATION" data-valid="true">\n<span class="icon" aria-hidden="true">✓<\/span>/);
    expect(page).toMatch(/<li class="bad" data-certificate="DISINFECTION" data-valid="false">\n<span class="icon" aria-hidden="true">✗<\/span>/);
  });

  it('answers a shopper with a page for each failure, never an error body, and cuts a long code', () => {
    const cases = [
      ['notFound', 'We could not find this code', '未找到此追溯码'],
      ['badRequest', 'This link is not valid', '链接无效'],
      ['rateLimited', 'Too many look-ups', '查询过于频繁'],
      ['unavailable', 'Not available right now', '暂时无法查询'],
      ['failed', 'Something went wrong', '出错了'],
    ] as const;
    for (const [kind, en, zh] of cases) {
      const page = renderNoticePage(kind, CTX_EN, 'NOPE-1');
      expect(page).toContain(`<h1 id="notice-title">${en}</h1>`);
      expect(page).not.toMatch(/"code"|stack|Error:/);
      expect(renderNoticePage(kind, CTX_ZH, null)).toContain(`<h1 id="notice-title">${zh}</h1>`);
    }
    const long = renderNoticePage('notFound', CTX_EN, 'X'.repeat(500));
    expect(long).toContain(`<code>${'X'.repeat(64)}…</code>`);
    expect(long).not.toContain('X'.repeat(65));
  });

  it('links each language version of the same page', () => {
    const page = renderLotPage(view(), CTX_ZH);
    expect(page).toContain('<a href="?lang=zh" lang="zh-CN" aria-current="page">中文</a><a href="?lang=en" lang="en">English</a>');
  });
});

describe('the page address on the pack', () => {
  it('is PUBLIC_BASE_URL/t/ and the trace code as one path segment', () => {
    expect(shopperPageUrl('https://trace.example.com', 'BEEF-2026-0001')).toBe('https://trace.example.com/t/BEEF-2026-0001');
    expect(shopperPageUrl('https://example.com/coldtrace', 'A/B C#1?牛')).toBe('https://example.com/coldtrace/t/A%2FB%20C%231%3F%E7%89%9B');
  });

  describe('the cold chain', () => {
    const HOUR = 3_600_000;
    const at = (h: number): string => new Date(Date.parse('2026-11-20T00:00:00.000Z') + h * HOUR).toISOString();
    const log = (over: Partial<PageTemperatures> = {}): PageTemperatures => ({
      range: { minCelsius: null, maxCelsius: -18 },
      readings: 72,
      points: Array.from({ length: 72 }, (_, h) => ({ at: at(h), celsius: -20, min: -21, max: -19 })),
      excursions: [],
      gaps: [],
      ...over,
    });
    const line = (page: string): string | undefined => /<p class="cold-chain-line[^"]*">([^<]*)<\/p>/.exec(page)?.[1];

    it('says nothing for a lot with no log', () => {
      expect(renderLotPage(view(), CTX_ZH, null)).not.toContain('class="card cold-chain"');
      expect(renderLotPage(view(), CTX_EN, log({ points: [], readings: 0 }))).not.toContain('class="card cold-chain"');
    });

    it('kept in range: what it was kept at, per category, in both languages, with a chart and no style attribute', () => {
      const frozen = renderLotPage(view(), CTX_ZH, log());
      expect(line(frozen)).toBe('全程冷冻 -18 °C 以下');
      expect(line(renderLotPage(view(), CTX_EN, log()))).toBe('Kept frozen at -18 °C or below throughout');
      const chilled = view({ product: { name: 'Chilled salmon', category: 'CHILLED', gtin: null } });
      expect(line(renderLotPage(chilled, CTX_ZH, log({ range: { minCelsius: 0, maxCelsius: 4 } })))).toBe('全程冷藏 0–4 °C');
      expect(line(renderLotPage(chilled, CTX_EN, log({ range: { minCelsius: 0, maxCelsius: 4 } })))).toBe('Kept chilled at 0–4 °C throughout');
      const fruit = view({ product: { name: 'Cherries', category: 'FRUIT', gtin: null } });
      expect(line(renderLotPage(fruit, CTX_ZH, log({ range: { minCelsius: 0, maxCelsius: 10 } })))).toBe('全程 0–10 °C');
      expect(line(renderLotPage(fruit, CTX_EN, log({ range: { minCelsius: 0, maxCelsius: 10 } })))).toBe('Kept at 0–10 °C throughout');
      expect(frozen).toMatch(/<figure class="temp-chart"><svg [^>]*role="img"[^>]*><title>温度曲线<\/title><desc>全程冷冻 -18 °C 以下<\/desc>/);
      const main = frozen.slice(frozen.indexOf('<main>'), frozen.indexOf('</main>'));
      expect(main).not.toMatch(/\sstyle=/);
      // Times on the market's clock, as everywhere on the page.
      expect(frozen).toContain('>2026-11-20 08:00</text>');
    });

    it('an excursion in words: how many, how long in all, how far', () => {
      const excursions = [
        { kind: 'EXCURSION' as const, from: at(10), to: at(11), durationMinutes: 45, extremeCelsius: -10 },
        { kind: 'ABUSE' as const, from: at(10), to: at(11), durationMinutes: 45, extremeCelsius: -10 },
      ];
      expect(line(renderLotPage(view(), CTX_ZH, log({ excursions })))).toBe('运输中有 1 次温度超出范围，共 45 分钟，最高 -10 °C');
      expect(line(renderLotPage(view(), CTX_EN, log({ excursions })))).toBe('Out of its range once on the way, 45 min in all; highest -10 °C');
    });
  });
});
