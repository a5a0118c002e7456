import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import type { Response, Test } from 'supertest';
import { QR_OPTIONS } from '../apps/api/src/lots/queries/get-lot-qr-code/get-lot-qr-code.render';
import { createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, minutesAgo, registerLot, registerNetwork, scanOk, uid, type Network } from './support/fixtures';

/*
 * GS1 Digital Link, end to end: a lot registered with a GTIN is resolved at
 * PUBLIC_BASE_URL/01/<gtin>/10/<traceCode>: a browser is sent on to the
 * shopper's page, a program gets an RFC 9264 linkset with GS1 link types,
 * ?linkType sends on to one link, an unknown or mismatched code is a 404; the
 * resolver describes itself at /.well-known/gs1resolver; the QR code carries
 * the Digital Link; the EPCIS export names the lot by it when asked.
 */

const BASE_URL = 'https://trace.example.com';
const GTIN14 = '09506000134352';
const OTHER_GTIN = '04006381333931';
const LINKSET = 'application/linkset+json';

/** The text a QR code PNG carries, read by a real decoder (jsQR), or null. */
const decodeQr = (png: Buffer): string | null => {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
};
const GS1 = 'https://gs1.org/voc/';

/**
 * RFC 9264 §4.2: `{"linkset": [link context objects]}`; each has an `anchor`
 * (a URI) and its relations as members whose values are arrays of target
 * objects, each with an `href` (a URI) and target attributes (`type`, a
 * string; `hreflang`, an array of strings; `title`, a string).
 */
const RFC_9264_LINKSET_SCHEMA = {
  type: 'object',
  required: ['linkset'],
  additionalProperties: false,
  properties: {
    linkset: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['anchor'],
        properties: { anchor: { type: 'string', format: 'uri' } },
        additionalProperties: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['href'],
            properties: {
              href: { type: 'string', format: 'uri' },
              type: { type: 'string', pattern: '^[\\w.+-]+/[\\w.+-]+$' },
              title: { type: 'string' },
              hreflang: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$' } },
            },
          },
        },
      },
    },
  },
};

/** GS1's resolver description file (GS1-Conformant Resolver 1.2, /.well-known/gs1resolver), as its schema shapes it. */
const GS1_RESOLVER_DESCRIPTION_SCHEMA = {
  type: 'object',
  required: ['name', 'resolverRoot', 'supportedPrimaryKeys', 'supportedLinkType'],
  properties: {
    name: { type: 'string' },
    resolverRoot: { type: 'string', format: 'uri' },
    supportedPrimaryKeys: { type: 'array', items: { type: 'string', enum: ['all', '01', '8006', '8013', '8010', '410', '411', '412', '413', '414', '415', '417', '8017', '8018', '255', '00', '253', '401', '402', '8003', '8004'] } },
    supportedLinkType: {
      type: 'array',
      items: { type: 'object', properties: { namespace: { type: 'string', format: 'uri' }, prefix: { type: 'string', pattern: '^[a-zA-Z_][A-Za-z0-9_-]*?:$' } } },
    },
    linkTypeDefaultCanBeLinkset: { type: 'boolean' },
  },
};

const EPCIS_SCHEMA_PATH = [resolve(__dirname, '../../shared/epcis/EPCIS-JSON-Schema.json'), resolve(__dirname, '../apps/api/src/epcis/capture/schema/EPCIS-JSON-Schema.json')].find((p) => existsSync(p))!;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validLinkset = ajv.compile(RFC_9264_LINKSET_SCHEMA);
const validDescription = ajv.compile(GS1_RESOLVER_DESCRIPTION_SCHEMA);
const validEpcis = ajv.compile(JSON.parse(readFileSync(EPCIS_SCHEMA_PATH, 'utf8')) as object);

/** The body as bytes, whatever its type. */
const raw = (test: Test): Test =>
  test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
const jsonOf = (res: Response) => JSON.parse((res.body as Buffer).toString('utf8'));

describe('GS1 Digital Link (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  const lot = `DL-${uid()}`;
  const recalledLot = `DLR-${uid()}`;
  let plain: string;
  let position = 0;
  const link = (gtin: string, code: string) => `/01/${gtin}/10/${encodeURIComponent(code)}`;

  const register = (traceCode: string, gtin: string | undefined) =>
    t
      .http()
      .post('/api/lots')
      .send({
        traceCode,
        product: { name: 'Frozen beef', category: 'FROZEN', ...(gtin === undefined ? {} : { gtin }) },
        originCountry: 'BR',
        importer: 'Acme Imports Ltd',
        quantity: { amount: 100, unit: 'KG' },
        portOfEntryId: n.port,
        enteredAt: minutesAgo(600),
      });

  beforeAll(async () => {
    t = await createTestApp({ publicRateLimitPerMinute: 10_000, publicBaseUrl: BASE_URL });
    n = await registerNetwork(t);
    // Printed as an EAN-13: kept as its GTIN-14.
    await register(lot, '9506000134352').expect(201);
    await attachAllPapers(t, lot);
    await scanOk(t, { traceCode: lot, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, occurredAt: minutesAgo(300) });
    await register(recalledLot, GTIN14).expect(201);
    position = (await t.http().post(`/api/lots/${recalledLot}/recall`).send({ reason: 'positive test' }).expect(201)).body.position;
    const registered = await registerLot(t, n);
    plain = registered.traceCode;
    position = Math.max(position, registered.position);
    // Every read below sees all of it.
    await t.http().get(`/api/lots/${plain}?atLeast=${position}`).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('registering a lot with a GTIN', () => {
    it.each([
      ['a wrong check digit', '09506000134353'],
      ['a wrong check digit (EAN-13)', '4006381333932'],
      ['a length no GTIN has', '123456789'],
      ['letters', '0950600013435X'],
    ])('%s: 400 VALIDATION_FAILED naming product.gtin, nothing recorded', async (_what, gtin) => {
      const code = `BAD-${uid()}`;
      const res = await register(code, gtin);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.body.details)).toContain('product.gtin');
      await t.http().get(`/api/lots/${code}`).expect(404);
    });

    it('a trace code longer than a GS1 batch/lot (20 characters) cannot carry a GTIN: 400', async () => {
      const res = await register(`LONG-${'X'.repeat(20)}`, GTIN14);
      expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({ status: 400, code: 'VALIDATION_FAILED', details: { field: 'traceCode' } });
    });

    it('the lot view and the shopper\'s view show it as GTIN-14; a lot without one shows null', async () => {
      expect((await t.http().get(`/api/lots/${lot}?atLeast=${position}`).expect(200)).body.product).toEqual({ name: 'Frozen beef', category: 'FROZEN', gtin: GTIN14 });
      expect((await t.anonymous().get(`/api/public/lots/${lot}`).expect(200)).body.product).toEqual({ name: 'Frozen beef', category: 'FROZEN', gtin: GTIN14 });
      expect((await t.http().get(`/api/lots/${plain}`).expect(200)).body.product).toEqual({ name: 'Frozen beef', category: 'FROZEN', gtin: null });
      const history = (await t.http().get(`/api/lots/${lot}/history`).expect(200)).body.events;
      expect(history[0]).toMatchObject({ type: 'LotRegistered', schemaVersion: 1, data: { product: { gtin: GTIN14 } } });
    });
  });

  describe('the resolver, GET /01/:gtin/10/:lot', () => {
    it('a browser is sent on (307) to the shopper\'s page, told where the linkset is', async () => {
      for (const gtin of [GTIN14, '9506000134352']) {
        const res = await t.anonymous().get(link(gtin, lot)).set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
        expect({ status: res.status, location: res.headers.location }).toEqual({ status: 307, location: `${BASE_URL}/t/${lot}` });
        expect(res.headers.link).toBe(`<${BASE_URL}${link(GTIN14, lot)}>; rel="linkset"; type="${LINKSET}"`);
      }
      // No Accept at all: the same.
      expect((await t.anonymous().get(link(GTIN14, lot))).status).toBe(307);
      // The page it names is the lot's.
      expect((await t.anonymous().get(`/t/${lot}`).expect(200)).text).toContain(`<code>${lot}</code>`);
    });

    it('a program asking for the linkset gets RFC 9264 JSON with the GS1 link types', async () => {
      const res = await raw(t.anonymous().get(link(GTIN14, lot)).set('accept', LINKSET));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/linkset\+json/);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const body = jsonOf(res);
      expect({ valid: validLinkset(body), errors: validLinkset.errors ?? [] }).toEqual({ valid: true, errors: [] });
      const [context] = body.linkset;
      expect(context.anchor).toBe(`${BASE_URL}${link(GTIN14, lot)}`);
      const only = (type: string) => {
        expect(context[`${GS1}${type}`]).toHaveLength(1);
        return context[`${GS1}${type}`][0];
      };
      expect(only('pip')).toEqual({ href: `${BASE_URL}/t/${lot}`, type: 'text/html', title: expect.any(String), hreflang: ['en', 'zh'] });
      expect(only('defaultLink').href).toBe(`${BASE_URL}/t/${lot}`);
      expect(only('epcis')).toMatchObject({ href: `${BASE_URL}/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:coldtrace:lot:${lot}`)}`, type: 'application/ld+json' });
      expect(only('certificationInfo').href).toBe(`${only('epcis').href}&EQ_bizStep=inspecting`);
      expect(only('recallStatus')).toMatchObject({ href: `${BASE_URL}/api/public/lots/${lot}`, type: 'application/json', title: 'Not recalled' });

      // The EPCIS links work for a key that may read the lot: the lot's events, its certificates.
      const events = await t.http().get(only('epcis').href.slice(BASE_URL.length)).expect(200);
      expect(events.body.epcisBody.queryResults.resultsBody.eventList.map((e: { bizStep: string }) => e.bizStep)).toEqual(expect.arrayContaining(['commissioning', 'inspecting', 'shipping']));
      const certificates = await t.http().get(only('certificationInfo').href.slice(BASE_URL.length)).expect(200);
      expect(certificates.body.epcisBody.queryResults.resultsBody.eventList).toHaveLength(4);
      // ...and not without one: a link is not the data.
      await t.anonymous().get(only('epcis').href.slice(BASE_URL.length)).expect(401);

      // ?linkType=linkset asks for it whatever Accept says.
      const asked = await raw(t.anonymous().get(`${link(GTIN14, lot)}?linkType=linkset`).set('accept', 'text/html'));
      expect(asked.status).toBe(200);
      expect(jsonOf(asked)).toEqual(body);
    });

    it('recallStatus says a recalled lot is recalled, as the shopper\'s view does', async () => {
      const res = await raw(t.anonymous().get(link(GTIN14, recalledLot)).set('accept', LINKSET));
      expect((await t.anonymous().get(`/api/public/lots/${recalledLot}`).expect(200)).body.status).toBe('RECALLED');
      expect(jsonOf(res).linkset[0][`${GS1}recallStatus`]).toEqual([expect.objectContaining({ title: expect.stringMatching(/^Recalled/) })]);
    });

    it('?linkType=gs1:<type> (or its URI) sends on to that one link; a type it has not, to the default', async () => {
      const base = `${BASE_URL}`;
      const cases: [string, string][] = [
        ['gs1:pip', `${base}/t/${lot}`],
        ['gs1:epcis', `${base}/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:coldtrace:lot:${lot}`)}`],
        ['gs1:certificationInfo', `${base}/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:coldtrace:lot:${lot}`)}&EQ_bizStep=inspecting`],
        [`${GS1}recallStatus`, `${base}/api/public/lots/${lot}`],
        ['gs1:allergenInfo', `${base}/t/${lot}`],
      ];
      for (const [linkType, location] of cases) {
        const res = await t.anonymous().get(`${link(GTIN14, lot)}?linkType=${encodeURIComponent(linkType)}`).set('accept', LINKSET);
        expect({ linkType, status: res.status, location: res.headers.location }).toEqual({ linkType, status: 307, location });
      }
    });

    it('an unknown lot, a GTIN not the lot\'s, a lot with no GTIN: 404 (JSON to a program, the page to a browser); not a GTIN: 400', async () => {
      for (const path of [link(GTIN14, `NOPE-${uid()}`), link(OTHER_GTIN, lot), link(GTIN14, plain)]) {
        const json = await raw(t.anonymous().get(path).set('accept', LINKSET));
        expect({ path, status: json.status, type: json.headers['content-type'], code: jsonOf(json).code }).toEqual({ path, status: 404, type: 'application/json; charset=utf-8', code: 'LOT_NOT_FOUND' });
        const page = await t.anonymous().get(path).set('accept', 'text/html');
        expect({ path, status: page.status, type: page.headers['content-type'] }).toEqual({ path, status: 404, type: 'text/html; charset=utf-8' });
      }
      // An unknown code and a known code under another GTIN are told apart by nothing.
      const unknown = jsonOf(await raw(t.anonymous().get(link(GTIN14, 'NOPE-1')).set('accept', LINKSET)));
      const mismatched = jsonOf(await raw(t.anonymous().get(link(OTHER_GTIN, 'NOPE-1')).set('accept', LINKSET)));
      expect(Object.keys(unknown).sort()).toEqual(Object.keys(mismatched).sort());
      const bad = await raw(t.anonymous().get(link('09506000134353', lot)).set('accept', LINKSET));
      expect({ status: bad.status, code: jsonOf(bad).code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('shares the shopper\'s view per-address budget', async () => {
      const limited = await createTestApp({ publicRateLimitPerMinute: 2, publicBaseUrl: BASE_URL }, t);
      try {
        await limited.anonymous().get(`/api/public/lots/${lot}`).expect(200);
        await limited.anonymous().get(link(GTIN14, lot)).set('accept', LINKSET).expect(200);
        const json = await limited.anonymous().get(link(GTIN14, lot)).set('accept', LINKSET);
        expect({ status: json.status, code: json.body.code, retryAfter: Number(json.headers['retry-after']) > 0 }).toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: true });
        const page = await limited.anonymous().get(link(GTIN14, lot)).set('accept', 'text/html');
        expect({ status: page.status, type: page.headers['content-type'] }).toEqual({ status: 429, type: 'text/html; charset=utf-8' });
      } finally {
        await limited.close();
      }
    });
  });

  it('/.well-known/gs1resolver describes the resolver (GS1 resolver description file)', async () => {
    const res = await t.anonymous().get('/.well-known/gs1resolver').expect(200);
    expect({ valid: validDescription(res.body), errors: validDescription.errors ?? [] }).toEqual({ valid: true, errors: [] });
    expect(res.body).toMatchObject({ resolverRoot: BASE_URL, supportedPrimaryKeys: ['01'], supportedLinkType: [{ namespace: GS1, prefix: 'gs1:' }] });
  });

  it('the code on the pack carries the Digital Link of a lot with a GTIN (the page\'s address otherwise)', async () => {
    const uri = `${BASE_URL}${link(GTIN14, lot)}`;
    // The PNG decoded as a phone's camera would read it.
    expect(decodeQr((await t.http().get(`/api/lots/${lot}/qr.png`).expect(200)).body as Buffer)).toBe(uri);
    expect(decodeQr((await t.http().get(`/api/lots/${plain}/qr.png`).expect(200)).body as Buffer)).toBe(`${BASE_URL}/t/${plain}`);
    // The SVG is the same symbol.
    const svg = await raw(t.http().get(`/api/lots/${lot}/qr.svg`)).expect(200);
    expect((svg.body as Buffer).toString('utf8')).toBe(await QRCode.toString(uri, { ...QR_OPTIONS, type: 'svg' }));
    // The URI it carries resolves.
    expect((await t.anonymous().get(new URL(uri).pathname)).headers.location).toBe(`${BASE_URL}/t/${lot}`);
  });

  it('the EPCIS export names the lot by its Digital Link class on GS1-EPC-Format: Always_GS1_Digital_Link, still valid EPCIS', async () => {
    const url = `/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:coldtrace:lot:${lot}`)},${encodeURIComponent(`urn:coldtrace:lot:${plain}`)}`;
    const asUrn = await t.http().get(url).expect(200);
    const asLink = await t.http().get(url).set('GS1-EPC-Format', 'Always_GS1_Digital_Link').expect(200);
    expect(asLink.headers['gs1-epc-format']).toBe('Always_GS1_Digital_Link');
    for (const doc of [asUrn.body, asLink.body]) expect({ valid: validEpcis(doc), errors: validEpcis.errors ?? [] }).toEqual({ valid: true, errors: [] });
    const classes = (doc: { epcisBody: { queryResults: { resultsBody: { eventList: { quantityList?: { epcClass: string }[] }[] } } } }) =>
      new Set(doc.epcisBody.queryResults.resultsBody.eventList.flatMap((e) => (e.quantityList ?? []).map((q) => q.epcClass)));
    expect(classes(asUrn.body)).toEqual(new Set([`urn:coldtrace:lot:${lot}`, `urn:coldtrace:lot:${plain}`]));
    // GS1's resolver by default (DIGITAL_LINK_BASE); the lot without a GTIN keeps its URN.
    expect(classes(asLink.body)).toEqual(new Set([`https://id.gs1.org${link(GTIN14, lot)}`, `urn:coldtrace:lot:${plain}`]));
    // Otherwise the same events.
    const ids = (doc: { epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } } }) => doc.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID);
    expect(ids(asLink.body)).toEqual(ids(asUrn.body));
    // Another value keeps the URNs.
    const never = await t.http().get(url).set('GS1-EPC-Format', 'Never_Translates').expect(200);
    expect(classes(never.body)).toEqual(classes(asUrn.body));
  });
});
