import { readingsSha256 } from '@app/event-store';
import { createTestApp, TestApp } from './support/test-app';
import { eligibility, reasonCodes, registerLot, registerNetwork, scan, walkToStore, Network, uid } from './support/fixtures';

const MINUTE = 60_000;

/** A logger's readings every 5 minutes for three days, ending 5 minutes ago: 864 of them, each at `celsius(i)`. */
const threeDays = (celsius: (i: number) => number): { at: string; celsius: number }[] => {
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
  return Array.from({ length: 864 }, (_, i) => ({ at: new Date(end - (863 - i) * 5 * MINUTE).toISOString(), celsius: celsius(i) }));
};

/** 36 readings (3 h) at -5 °C from the 400th on, -20 °C elsewhere. */
const withThreeHoursAtMinusFive = (i: number): number => (i >= 400 && i < 436 ? -5 : -20);

describe('temperature logs (POST /api/lots/:traceCode/temperatures)', () => {
  let t: TestApp;
  let n: Network;

  beforeAll(async () => {
    t = await createTestApp();
    n = await registerNetwork(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const atStore = async (): Promise<string> => {
    const { traceCode } = await registerLot(t, n);
    await walkToStore(t, n, traceCode);
    return traceCode;
  };

  const upload = (traceCode: string, readings: { at: string; celsius: number }[], deviceId = 'reefer-1') =>
    t.http().post(`/api/lots/${traceCode}/temperatures`).send({ deviceId, readings });

  const sell = (traceCode: string) => scan(t, { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 1 });

  it('a three-day log inside the range: recorded as one upload, the lot stays sellable', async () => {
    const traceCode = await atStore();
    const res = await upload(traceCode, threeDays((i) => -22 + (i % 12) / 10)).expect(201);
    expect(res.body).toMatchObject({ traceCode, recorded: 864, repeated: 0, findings: [], held: false, lotsReached: 0 });
    expect(res.body.events).toEqual([{ type: 'TemperaturesRecorded', version: res.body.version }]);
    expect((await eligibility(t, traceCode, res.body.position)).allowed).toBe(true);
    const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${res.body.position}`).expect(200);
    const uploads = (history.body.events as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type === 'TemperaturesRecorded');
    expect(uploads).toHaveLength(1);
    expect(uploads[0].data).toMatchObject({ deviceId: 'reefer-1', count: 864, minCelsius: -22, maxCelsius: -20.9, firstAt: expect.any(String), lastAt: expect.any(String) });
  });

  it('3 h at -5 °C: TEMPERATURE_ABUSE holds the lot; a sale is refused until a regulator resolves it', async () => {
    const traceCode = await atStore();
    const res = await upload(traceCode, threeDays(withThreeHoursAtMinusFive)).expect(201);
    expect(res.body.held).toBe(true);
    expect(res.body.findings.map((f: { kind: string }) => f.kind)).toEqual(['EXCURSION', 'ABUSE']);
    const verdict = await eligibility(t, traceCode, res.body.position);
    expect(reasonCodes(verdict)).toEqual(['TEMPERATURE_ABUSE']);
    const refused = await sell(traceCode).expect(422);
    expect(refused.body.code).toBe('SALE_BLOCKED');
    expect(reasonCodes(refused.body.details)).toEqual(['TEMPERATURE_ABUSE']);

    const lot = await t.http().get(`/api/lots/${traceCode}?atLeast=${res.body.position}`).expect(200);
    const abuse = lot.body.violations.find((v: { kind: string }) => v.kind === 'TEMPERATURE_ABUSE');
    expect(abuse).toMatchObject({ status: 'OPEN' });
    expect(lot.body.flags.map((f: { flag: string }) => f.flag)).toContain('TEMPERATURE_EXCURSION');

    const resolved = await t.http().post(`/api/lots/${traceCode}/violations/${abuse.id}/resolve`).send({ reason: 'core temperature checked by the inspector: -19 °C, no thawing' }).expect(200);
    expect((await eligibility(t, traceCode, resolved.body.position)).allowed).toBe(true);
    await sell(traceCode).expect(201);
  });

  it('the same readings sent again record nothing (200), in any order and split over requests', async () => {
    const traceCode = await atStore();
    const readings = threeDays(withThreeHoursAtMinusFive);
    const first = await upload(traceCode, readings).expect(201);
    const again = await upload(traceCode, [...readings].reverse()).expect(200);
    expect(again.body).toMatchObject({ recorded: 0, repeated: 864, findings: [], version: first.body.version, events: [] });
    const part = await upload(traceCode, readings.slice(100, 200)).expect(200);
    expect(part.body.version).toBe(first.body.version);
  });

  it('a late upload from a second device is judged on the whole log: together they make an abuse neither makes alone', async () => {
    const traceCode = await atStore();
    // The reefer logged 40 min at -5 °C, then stopped; the truck's logger, uploaded later, shows the next 40 min.
    const all = threeDays(withThreeHoursAtMinusFive);
    const reefer = all.slice(0, 408);
    const truck = all.slice(408, 420).map((r) => ({ ...r }));
    const first = await upload(traceCode, reefer, 'reefer-1').expect(201);
    expect(first.body.held).toBe(false);
    const second = await upload(traceCode, truck, 'truck-1').expect(201);
    expect(second.body.findings.map((f: { kind: string }) => f.kind)).toContain('ABUSE');
    expect(second.body.held).toBe(true);
  });

  it('a split child inherits the log up to the split, and with it the hold', async () => {
    const traceCode = await atStore();
    const up = await upload(traceCode, threeDays(withThreeHoursAtMinusFive)).expect(201);
    expect(up.body.held).toBe(true);
    const child = `${traceCode}-C${uid()}`;
    const split = await t.http().post(`/api/lots/${traceCode}/splits`).send({ splitId: `SP-${uid()}`, children: [{ traceCode: child, quantity: 10 }] }).expect(201);
    expect(reasonCodes(await eligibility(t, child, split.body.position))).toContain('TEMPERATURE_ABUSE');
  });

  it('bad input is refused with the reading named, and nothing is recorded', async () => {
    const traceCode = await atStore();
    const good = threeDays(() => -20).slice(0, 3);
    const cases: [unknown, RegExp][] = [
      [{ deviceId: 'd1', readings: [] }, /at least one reading/],
      [{ deviceId: 'd1', readings: [...good, { at: '2026-11-20', celsius: -20 }] }, /readings\[3\]\.at must be a full date and time/],
      [{ deviceId: 'd1', readings: [{ ...good[0], celsius: 120 }] }, /readings\[0\]\.celsius must be a number of degrees Celsius from -80 to 60/],
      [{ deviceId: 'd1', readings: [{ ...good[0], fahrenheit: 1 }] }, /readings\[0\]\.fahrenheit is not a field of a reading/],
      [{ deviceId: 'd1', readings: Array.from({ length: 10_001 }, () => good[0]) }, /at most 10000 readings/],
      [{ readings: good }, /deviceId/],
    ];
    for (const [body, message] of cases) {
      const res = await t.http().post(`/api/lots/${traceCode}/temperatures`).send(body as object).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).toMatch(message);
    }
    const future = await upload(traceCode, [{ at: new Date(Date.now() + 3_600_000).toISOString(), celsius: -20 }]).expect(400);
    expect(future.body.message).toMatch(/in the future/);
    await upload(`NO-SUCH-${uid()}`, good).expect(404);
    const lot = await t.http().get(`/api/lots/${traceCode}`).expect(200);
    expect(lot.body.flags.filter((f: { flag: string }) => f.flag.startsWith('TEMPERATURE'))).toEqual([]);
  });

  it("the readings are covered by the lot's verification: a reading changed, or its upload's row deleted, in the table fails it, naming the upload", async () => {
    const traceCode = await atStore();
    // Given out of time order, with the extremes an upload may hold: the digest is over the row as stored.
    const readings = threeDays((i) => [-18.3, -79.99, 59.99, 0.01, -0.01, -20.07][i % 6]).reverse();
    const first = await upload(traceCode, readings).expect(201);
    const second = await upload(traceCode, threeDays(() => -19.5).slice(0, 10), 'truck-1').expect(201);
    // A resend records nothing and changes nothing.
    await upload(traceCode, readings.slice(0, 50)).expect(200);
    const verify = () => t.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200);
    expect((await verify()).body).toMatchObject({ valid: true, events: second.body.version });

    const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${second.body.position}`).expect(200);
    const recorded = (history.body.events as { type: string; version: number; data: { uploadId: string; readingsSha256: string } }[]).filter((e) => e.type === 'TemperaturesRecorded');
    // Each upload's event comes first among those it appends (its findings follow).
    expect(recorded.map((e) => e.version)).toEqual([first.body.version - first.body.events.length + 1, second.body.version - second.body.events.length + 1]);
    const [row] = await t.dataSource.query(`SELECT at, celsius FROM temperature_uploads WHERE upload_id = $1`, [recorded[0].data.uploadId]);
    // real gives back exactly what was sent, in the order sent.
    expect(row.celsius).toEqual(readings.map((r) => r.celsius));
    expect(row.at.map((d: Date) => d.toISOString())).toEqual(readings.map((r) => r.at));
    expect(recorded[0].data.readingsSha256).toBe(readingsSha256(readings));

    // As the table's owner: one reading of the first upload changed.
    const uploadId = recorded[0].data.uploadId;
    await t.dataSource.query(`UPDATE temperature_uploads SET celsius[400] = -25 WHERE upload_id = $1`, [uploadId]);
    expect((await verify()).body).toEqual({
      traceCode,
      valid: false,
      events: second.body.version,
      headHash: expect.any(String),
      firstInvalidVersion: recorded[0].version,
      reason: 'READINGS_MISMATCH',
      uploadId,
    });
    // Put back, it holds again; the second upload's row deleted, it is missing.
    await t.dataSource.query(`UPDATE temperature_uploads SET celsius[400] = $2 WHERE upload_id = $1`, [uploadId, readings[399].celsius]);
    expect((await verify()).body.valid).toBe(true);
    const [kept] = await t.dataSource.query(`SELECT * FROM temperature_uploads WHERE upload_id = $1`, [recorded[1].data.uploadId]);
    await t.dataSource.query(`DELETE FROM temperature_uploads WHERE upload_id = $1`, [recorded[1].data.uploadId]);
    expect((await verify()).body).toMatchObject({ valid: false, firstInvalidVersion: recorded[1].version, reason: 'READINGS_MISSING', uploadId: recorded[1].data.uploadId });
    await t.dataSource.query(
      `INSERT INTO temperature_uploads (upload_id, trace_code, device_id, facility_id, recorded_at, at, celsius) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [kept.upload_id, kept.trace_code, kept.device_id, kept.facility_id, kept.recorded_at, kept.at, kept.celsius],
    );
    expect((await verify()).body.valid).toBe(true);
    // A row no upload of the record made (readings slipped in beside it): named too.
    const forged = '00000000-0000-4000-8000-000000000021';
    await t.dataSource.query(`INSERT INTO temperature_uploads (upload_id, trace_code, device_id, at, celsius) VALUES ($1, $2, 'reefer-1', ARRAY[now() - interval '1 day'], ARRAY[-20::real])`, [forged, traceCode]);
    expect((await verify()).body).toMatchObject({ valid: false, firstInvalidVersion: second.body.version, reason: 'READINGS_UNRECORDED', uploadId: forged });
  });

  it("an operator of another firm is told the lot is unknown, and records nothing", async () => {
    const traceCode = await atStore();
    const other = await registerNetwork(t);
    const key = await t.issueKey('OPERATOR', [other.warehouse]);
    const res = await t.as(key.token).post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'd1', readings: threeDays(() => -20).slice(0, 5) }).expect(404);
    expect(res.body.code).toBe('LOT_NOT_FOUND');
  });
});

describe('temperature series (GET /api/lots/:traceCode/temperatures)', () => {
  let t: TestApp;
  let n: Network;

  beforeAll(async () => {
    t = await createTestApp();
    n = await registerNetwork(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers every reading when they fit, downsampled to at most 1,000 points (or resolution) when not, with the excursions', async () => {
    const { traceCode } = await registerLot(t, n);
    await walkToStore(t, n, traceCode);
    const readings = threeDays(withThreeHoursAtMinusFive);
    // A second logger a minute behind: 1,728 readings in all.
    const second = readings.map((r) => ({ at: new Date(Date.parse(r.at) - MINUTE).toISOString(), celsius: r.celsius + 0.5 }));
    await t.http().post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'reefer-1', readings }).expect(201);
    await t.http().post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'reefer-2', readings: second }).expect(201);

    const all = await t.http().get(`/api/lots/${traceCode}/temperatures`).expect(200);
    expect(all.body).toMatchObject({ traceCode, category: 'FROZEN', range: { minCelsius: null, maxCelsius: -18 }, readings: 1728 });
    expect(all.body.points).toHaveLength(1000);
    const ats = all.body.points.map((p: { at: string }) => p.at);
    expect([...ats].sort()).toEqual(ats);
    expect(Math.max(...all.body.points.map((p: { max: number }) => p.max))).toBe(-4.5);
    expect(Math.min(...all.body.points.map((p: { min: number }) => p.min))).toBe(-20);
    expect(all.body.excursions.map((e: { kind: string }) => e.kind)).toEqual(['EXCURSION', 'ABUSE']);
    expect(all.body.excursions[1]).toMatchObject({ extremeCelsius: -4.5 });

    const coarse = await t.http().get(`/api/lots/${traceCode}/temperatures?resolution=24`).expect(200);
    expect(coarse.body.points.length).toBeLessThanOrEqual(24);

    // The window: the first day only, before the excursion.
    const from = readings[0].at;
    const to = readings[287].at;
    const day = await t.http().get(`/api/lots/${traceCode}/temperatures?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`).expect(200);
    expect(day.body.readings).toBe(288 + 287);
    expect(day.body.points).toHaveLength(575);
    expect(day.body.points[0]).toEqual({ at: readings[0].at, celsius: -20, min: -20, max: -20 });
    expect(day.body.points[1]).toEqual({ at: second[1].at, celsius: -19.5, min: -19.5, max: -19.5 });
    expect(day.body.excursions).toEqual([]);
  });

  it('a lot without a log answers no points; bad windows and unknown lots are refused', async () => {
    const { traceCode, position } = await registerLot(t, n);
    const empty = await t.http().get(`/api/lots/${traceCode}/temperatures?atLeast=${position}`).expect(200);
    expect(empty.body).toMatchObject({ readings: 0, points: [], excursions: [], gaps: [] });
    for (const q of ['resolution=1', 'resolution=1001', 'resolution=ten', 'from=yesterday', 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'colour=red']) {
      const res = await t.http().get(`/api/lots/${traceCode}/temperatures?${q}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    await t.http().get(`/api/lots/NO-SUCH-${uid()}/temperatures`).expect(404);
  });

  it("a split child's series holds its parent's readings up to the split", async () => {
    const { traceCode } = await registerLot(t, n);
    await walkToStore(t, n, traceCode);
    await t.http().post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'reefer-1', readings: threeDays(() => -20) }).expect(201);
    const child = `${traceCode}-C${uid()}`;
    const split = await t.http().post(`/api/lots/${traceCode}/splits`).send({ splitId: `SP-${uid()}`, children: [{ traceCode: child, quantity: 10 }] }).expect(201);
    // After the split (a logger's clock a minute ahead is within the skew allowed): the parent's, not the child's.
    const later = [{ at: new Date(Date.now() + 60_000).toISOString(), celsius: -21 }];
    await t.http().post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'reefer-1', readings: later }).expect(201);
    const series = await t.http().get(`/api/lots/${child}/temperatures?atLeast=${split.body.position}`).expect(200);
    expect(series.body.readings).toBe(864);
  });
});
