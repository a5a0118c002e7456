import type { Response } from 'supertest';
import { zoneUrn } from '../apps/api/src/epcis/epcis-identifiers';
import { createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, minutesAgo, registerNetwork, scanOk, uid, type Network } from './support/fixtures';

/**
 * Issue 16, finding 1: another firm's operator could take a lot over by
 * scanning it at its own store. A key now acts only on lots at, or on their
 * way to, its facilities, judged at the scan's own time on the lot's
 * timeline; anything else is answered byte for byte as an unknown trace code
 * and writes nothing. A lot found where it was not sent is reported as a
 * sighting, which changes nothing on the lot.
 */
describe('lot scope: a key writes only on lots at, or on their way to, its facilities (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let a: Network;
  let firmA: string;
  let firmB: string;
  let firmC: string;
  let storeB: string;

  const head = async (): Promise<number> => Number((await t.dataSource.query(`SELECT coalesce(max(global_position), 0) AS p FROM events`))[0].p);
  const version = async (traceCode: string): Promise<number> => (await t.store.readStream(`lot-${traceCode}`)).version;
  /** What an answer says, all of it but the request's own id. */
  const answered = (res: Response) => ({ status: res.status, body: res.body as unknown, type: res.headers['content-type'] });
  /** `answer` with each mention of the trace code `from` said as `to`: a refusal names the code the caller sent, and nothing else differs. */
  const naming = <T>(answer: T, from: string, to: string): T => JSON.parse(JSON.stringify(answer).replaceAll(from, to)) as T;

  /** A lot of firm A's at its central warehouse, papers on file (100 cartons). */
  const lotOfA = async (): Promise<string> => {
    const traceCode = `A-${uid()}`;
    await t
      .as(firmA)
      .post('/api/lots')
      .send({
        traceCode,
        product: { name: 'Frozen beef', category: 'FROZEN' },
        originCountry: 'BR',
        importer: 'Importer A',
        quantity: { amount: 100, unit: 'CARTON' },
        portOfEntryId: a.port,
        enteredAt: minutesAgo(600),
      })
      .expect(201);
    await attachAllPapers(t, traceCode);
    await t.as(firmA).post('/api/scans').send({ scanId: `D-${uid()}`, traceCode, facilityId: a.port, action: 'DISPATCH', toFacilityId: a.warehouse, occurredAt: minutesAgo(300), vehicle: { plate: 'T-1', disinfectedAt: minutesAgo(310) } }).expect(201);
    await t.as(firmA).post('/api/scans').send({ scanId: `R-${uid()}`, traceCode, facilityId: a.warehouse, action: 'RECEIVE', zoneId: a.zones.warehouseIntake, occurredAt: minutesAgo(290) }).expect(201);
    return traceCode;
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerNetwork(t);
    storeB = `RS-B-${uid()}`;
    await t.http().post('/api/facilities').send({ id: storeB, name: 'Store B', type: 'RETAIL_STORE', zones: [{ id: 'IN-B', kind: 'DEDICATED_INTAKE' }, { id: 'SALES-B', kind: 'DEDICATED_SALES' }] }).expect(201);
    firmA = (await t.issueKey('OPERATOR', [a.port, a.warehouse], 'firm A')).token;
    firmB = (await t.issueKey('OPERATOR', [storeB], 'firm B')).token;
    firmC = (await t.issueKey('OPERATOR', [a.market], 'firm C (the market)')).token;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("another firm's RECEIVE, SAMPLE, SELL or DISPATCH of a lot at its own store: 404 exactly as for an unknown code, nothing written, the lot still firm A's", async () => {
    const lot = await lotOfA();
    const [before, v] = [await head(), await version(lot)];
    const b = t.as(firmB);
    const scans = [
      { action: 'RECEIVE', zoneId: 'IN-B' },
      { action: 'SAMPLE' },
      { action: 'SELL', zoneId: 'SALES-B', quantity: 1 },
      { action: 'DISPATCH', toFacilityId: a.warehouse },
    ];
    for (const s of scans) {
      const scanId = `B-${uid()}`;
      const onTheLot = await b.post('/api/scans').send({ scanId, traceCode: lot, facilityId: storeB, occurredAt: minutesAgo(1), ...s });
      const nope = `NOPE-${uid()}`;
      const unknown = await b.post('/api/scans').send({ scanId: `${scanId}-x`, traceCode: nope, facilityId: storeB, occurredAt: minutesAgo(1), ...s });
      expect({ action: s.action, ...answered(onTheLot) }).toEqual({ action: s.action, ...naming(answered(unknown), nope, lot) });
      expect(onTheLot.status).toBe(404);
      expect(onTheLot.body).toEqual({ code: 'LOT_NOT_FOUND', message: `no lot ${lot} is registered (or it is not in your key's reach); register it with POST /api/lots`, details: { traceCode: lot } });
    }
    expect(await head()).toBe(before);
    expect(await version(lot)).toBe(v);

    // Nothing opened the lot's reads to firm B; firm A still scans, splits and ships its own lot.
    for (const path of [`/api/lots/${lot}`, `/api/lots/${lot}/history`, `/api/lots/${lot}/sale-eligibility`]) {
      expect((await b.get(path)).status).toBe(404);
    }
    await t.as(firmA).post('/api/scans').send({ scanId: `A-${uid()}`, traceCode: lot, facilityId: a.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(1) }).expect(201);
    await t.as(firmA).post(`/api/lots/${lot}/splits`).send({ splitId: `SP-${uid()}`, children: [{ traceCode: `${lot}-1`, quantity: 60 }] }).expect(201);
  });

  it("another firm's split, merge, batch item and capture event on the lot: each as for an unknown code, nothing written", async () => {
    const lot = await lotOfA();
    const other = await lotOfA();
    const before = await head();
    const b = t.as(firmB);
    const nope = `NOPE-${uid()}`;
    const split = (traceCode: string) => b.post(`/api/lots/${traceCode}/splits`).send({ splitId: `SP-${uid()}`, children: [{ traceCode: `${traceCode}-B`, quantity: 60 }] });
    expect(answered(await split(lot))).toEqual(answered(await split(nope)));
    const merge = (parents: string[]) =>
      b.post('/api/lots/merges').send({ mergeId: `M-${uid()}`, traceCode: `M-${uid()}`, facilityId: storeB, parents: parents.map((traceCode) => ({ traceCode, quantity: 1 })) });
    const merged = await merge([lot, other]);
    expect(merged.status).toBe(404);
    expect(merged.body).toEqual({ code: 'LOT_NOT_FOUND', message: `no lot ${lot} is registered (or it is not in your key's reach); register it with POST /api/lots`, details: { traceCode: lot } });
    const mixed = await merge([nope, lot]);
    expect(mixed.body).toEqual({ code: 'LOT_NOT_FOUND', message: `no lot ${nope} is registered (or it is not in your key's reach); register it with POST /api/lots`, details: { traceCode: nope } });

    const batch = await b.post('/api/scans/batch').send({
      scans: [lot, nope].map((traceCode) => ({ scanId: `BB-${uid()}`, traceCode, facilityId: storeB, action: 'RECEIVE', zoneId: 'IN-B', occurredAt: minutesAgo(1) })),
    });
    expect(batch.status).toBe(200);
    const [onTheLot, unknown] = batch.body.results as { status: string; code: string; message: string; details?: unknown; scanId: string }[];
    expect({ ...onTheLot, scanId: null }).toEqual(naming({ ...unknown, scanId: null }, nope, lot));
    expect(onTheLot).toMatchObject({ status: 'refused', code: 'LOT_NOT_FOUND' });

    /** A document selling 3 kg of each lot (they count cartons) at `facilityId`. */
    const sales = (traceCodes: string[], facilityId: string, zoneId: string) => ({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        eventList: traceCodes.map((traceCode) => ({
          type: 'ObjectEvent',
          eventID: `urn:coldtrace:scope-test:${uid()}`,
          eventTime: minutesAgo(1),
          eventTimeZoneOffset: '+08:00',
          action: 'OBSERVE',
          bizStep: 'retail_selling',
          quantityList: [{ epcClass: `urn:coldtrace:lot:${traceCode}`, quantity: 3, uom: 'KGM' }],
          readPoint: { id: zoneUrn(facilityId, zoneId) },
        })),
      },
    });
    const capture = await b.post('/api/epcis/capture').send(sales([lot, nope], storeB, 'SALES-B'));
    expect(capture.status).toBe(202);
    const [eventOnTheLot, eventUnknown] = capture.body.errors as { eventID: string; code: string; message: string }[];
    // Not UNIT_MISMATCH (the lot counts cartons, the event kilograms): nothing about the lot is told.
    expect({ ...eventOnTheLot, eventID: null }).toEqual(naming({ ...eventUnknown, eventID: null }, nope, lot));
    expect(eventOnTheLot.code).toBe('LOT_NOT_FOUND');
    expect(await head()).toBe(before);
    // Firm A, whose lot it is, is told the unit is not the lot's.
    const own = await t.as(firmA).post('/api/epcis/capture').send(sales([lot], a.warehouse, a.zones.warehouseIntake));
    expect(own.body.errors.map((e: { code: string; message: string }) => [e.code, e.message])).toEqual([['UNIT_MISMATCH', `lot ${lot} is counted in CARTON; the scan states KG`]]);
    expect(await head()).toBe(before);
  });

  it('judged at the scan\'s own time: a late upload from where the lot was counts there, a STORE uploaded before its RECEIVE counts at the destination, a scan dated after it left does not', async () => {
    const lot = await lotOfA();
    // Firm A ships it to the market (firm C) at minute -100.
    await t.as(firmA).post('/api/scans').send({ scanId: `D-${uid()}`, traceCode: lot, facilityId: a.warehouse, action: 'DISPATCH', toFacilityId: a.market, occurredAt: minutesAgo(100), vehicle: { plate: 'T-2', disinfectedAt: minutesAgo(110) } }).expect(201);
    const a_ = t.as(firmA);
    const c = t.as(firmC);
    // The warehouse's handheld uploads a disinfection from minute -200, while it held the lot.
    await a_.post('/api/scans').send({ scanId: `L-${uid()}`, traceCode: lot, facilityId: a.warehouse, action: 'DISINFECT', occurredAt: minutesAgo(200) }).expect(201);
    // Dated now, the warehouse holds it no more.
    const now = await a_.post('/api/scans').send({ scanId: `N-${uid()}`, traceCode: lot, facilityId: a.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(1) });
    expect({ status: now.status, code: now.body.code }).toEqual({ status: 404, code: 'LOT_NOT_FOUND' });
    // The market's STORE reaches us before its RECEIVE: the lot was on its way there then.
    await c.post('/api/scans').send({ scanId: `S-${uid()}`, traceCode: lot, facilityId: a.market, action: 'STORE', zoneId: a.zones.marketStorage, occurredAt: minutesAgo(40) }).expect(201);
    await c.post('/api/scans').send({ scanId: `R-${uid()}`, traceCode: lot, facilityId: a.market, action: 'RECEIVE', occurredAt: minutesAgo(50) }).expect(201);
    // But the market scanning it at a time the warehouse held it is refused as for an unknown lot.
    const early = await c.post('/api/scans').send({ scanId: `E-${uid()}`, traceCode: lot, facilityId: a.market, action: 'SAMPLE', occurredAt: minutesAgo(200) });
    expect({ status: early.status, code: early.body.code }).toEqual({ status: 404, code: 'LOT_NOT_FOUND' });
    const lotNow = await t.http().get(`/api/lots/${lot}?atLeast=${await head()}`).expect(200);
    expect(lotNow.body.holder).toMatchObject({ facilityId: a.market });
  });

  describe('sightings: a lot that turns up where it was not sent is reported, not scanned', () => {
    it('firm B reports firm A\'s lot at its store: recorded for regulators, nothing changes on the lot, and the answer is the same for a code we do not know', async () => {
      const lot = await lotOfA();
      const v = await version(lot);
      const eligibleBefore = (await t.http().get(`/api/lots/${lot}/sale-eligibility?atLeast=${await head()}`).expect(200)).body;
      const b = t.as(firmB);
      const reported = await b.post('/api/sightings').send({ traceCode: lot, facilityId: storeB, occurredAt: minutesAgo(5), note: '2 cartons on pallet 4, not on our delivery note' }).expect(201);
      expect(reported.body).toEqual({ id: expect.any(String), traceCode: lot, facilityId: storeB, occurredAt: expect.any(String), reportedAt: expect.any(String), position: expect.any(Number) });
      const counterfeit = `FAKE-${uid()}`;
      const unknown = await b.post('/api/sightings').send({ traceCode: counterfeit, facilityId: storeB, occurredAt: minutesAgo(5), note: 'a label we cannot place' }).expect(201);
      expect(Object.keys(unknown.body).sort()).toEqual(Object.keys(reported.body).sort());

      // The lot: same version, same eligibility, still unreadable to firm B.
      expect(await version(lot)).toBe(v);
      const eligibleAfter = (await t.http().get(`/api/lots/${lot}/sale-eligibility?atLeast=${unknown.body.position}`).expect(200)).body;
      expect({ ...eligibleAfter, evaluatedAt: null }).toEqual({ ...eligibleBefore, evaluatedAt: null });
      expect((await b.get(`/api/lots/${lot}`)).status).toBe(404);

      // The regulator lists them, newest first, by lot and by facility.
      const regulator = t.as(t.tokens.regulator);
      const byLot = await regulator.get(`/api/sightings?traceCode=${lot}`).expect(200);
      expect(byLot.body).toEqual({
        items: [
          {
            id: reported.body.id,
            traceCode: lot,
            lotKnown: true,
            facilityId: storeB,
            facilityType: 'RETAIL_STORE',
            occurredAt: reported.body.occurredAt,
            note: '2 cartons on pallet 4, not on our delivery note',
            reportedAt: reported.body.reportedAt,
            reportedBy: { keyId: expect.any(String), name: 'firm B', role: 'OPERATOR' },
            position: reported.body.position,
          },
        ],
        nextCursor: null,
      });
      const byFacility = await regulator.get(`/api/sightings?facilityId=${storeB}`).expect(200);
      expect(byFacility.body.items.map((s: { traceCode: string; lotKnown: boolean }) => [s.traceCode, s.lotKnown])).toEqual([
        [counterfeit, false],
        [lot, true],
      ]);
      const firstPage = await regulator.get(`/api/sightings?facilityId=${storeB}&limit=1`).expect(200);
      const secondPage = await regulator.get(`/api/sightings?facilityId=${storeB}&limit=1&cursor=${firstPage.body.nextCursor}`).expect(200);
      expect([firstPage.body.items[0].traceCode, secondPage.body.items[0].traceCode, secondPage.body.nextCursor]).toEqual([counterfeit, lot, null]);
    });

    it('is idempotent by reportId, refuses bad input with a named field, and only at the key\'s own facility', async () => {
      const b = t.as(firmB);
      const body = { traceCode: `X-${uid()}`, facilityId: storeB, occurredAt: minutesAgo(5), note: 'found', reportId: `REP-${uid()}` };
      const first = await b.post('/api/sightings').send(body).expect(201);
      const before = await head();
      const again = await b.post('/api/sightings').send(body).expect(201);
      expect(again.body).toEqual(first.body);
      expect(await head()).toBe(before);
      const reused = await b.post('/api/sightings').send({ ...body, note: 'something else' });
      expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });

      const bad = async (over: Record<string, unknown>, field: string) => {
        const res = await b.post('/api/sightings').send({ ...body, reportId: undefined, ...over });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(JSON.stringify(res.body.details)).toContain(field);
      };
      await bad({ note: '' }, 'note');
      await bad({ occurredAt: 'yesterday' }, 'occurredAt');
      await bad({ traceCode: 'a b' }, 'traceCode');
      await bad({ extra: 1 }, 'extra');
      const future = await b.post('/api/sightings').send({ ...body, reportId: undefined, occurredAt: new Date(Date.now() + 3_600_000).toISOString() });
      expect({ status: future.status, code: future.body.code, field: future.body.details?.field }).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'occurredAt' });
      const elsewhere = await b.post('/api/sightings').send({ ...body, reportId: undefined, facilityId: a.warehouse });
      expect({ status: elsewhere.status, code: elsewhere.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(await head()).toBe(before);
    });
  });

  describe('LOT_NOT_FOUND answers to writes are a per-key budget', () => {
    let small: TestApp;
    afterAll(async () => {
      await small?.close();
    });

    it('spent by lone scans and batch items alike, then every write of that key answers 429 with Retry-After; reads and other keys go on', async () => {
      small = await createTestApp({ lotNotFoundPerMinute: 5 });
      const n = await registerNetwork(small);
      const prober = (await small.issueKey('OPERATOR', [n.store], 'prober')).token;
      const honest = (await small.issueKey('OPERATOR', [n.store], 'honest')).token;
      const guess = (token: string) =>
        small.as(token).post('/api/scans').send({ scanId: `G-${uid()}`, traceCode: `GUESS-${uid()}`, facilityId: n.store, action: 'SAMPLE', occurredAt: minutesAgo(1) });
      for (let i = 0; i < 2; i++) expect((await guess(prober)).status).toBe(404);
      const batch = await small
        .as(prober)
        .post('/api/scans/batch')
        .send({ scans: [1, 2, 3].map(() => ({ scanId: `G-${uid()}`, traceCode: `GUESS-${uid()}`, facilityId: n.store, action: 'SAMPLE', occurredAt: minutesAgo(1) })) });
      expect(batch.body.results.map((r: { code: string }) => r.code)).toEqual(['LOT_NOT_FOUND', 'LOT_NOT_FOUND', 'LOT_NOT_FOUND']);

      const spent = await guess(prober);
      expect({ status: spent.status, code: spent.body.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(spent.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(spent.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Any write of that key waits, a sighting too; its reads and other keys do not.
      const sighting = await small.as(prober).post('/api/sightings').send({ traceCode: 'X-1', facilityId: n.store, occurredAt: minutesAgo(1), note: 'n' });
      expect(sighting.status).toBe(429);
      expect((await small.as(prober).get(`/api/facilities/${n.store}/inventory`)).status).toBe(200);
      expect((await guess(honest)).status).toBe(404);
    });
  });
});
