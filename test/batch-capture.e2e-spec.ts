import { createTestApp, TestApp } from './support/test-app';
import { minutesAgo, Network, registerLot, registerNetwork, uid } from './support/fixtures';

/**
 * POST /api/scans/batch: a handheld's offline buffer. Each scan judged on its
 * own, scans of one lot in array order, each idempotent by its scan id, each
 * within the key's facilities; written in one transaction, not one per scan.
 */

type Scan = Record<string, unknown>;
interface Line {
  scanId: string | null;
  status: 'accepted' | 'refused';
  code?: string;
  version?: number;
  position?: number;
}

const count = async (t: TestApp, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await t.dataSource.query(sql, params))[0].n);

/** A lot's walk from the port into the warehouse's storage, in five scans, each a minute after the last. */
const walk = (n: Network, traceCode: string, tag: string, startMinutesAgo: number): Scan[] => {
  const at = (i: number) => minutesAgo(startMinutesAgo - i);
  return [
    { scanId: `${tag}-1`, traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1', disinfectedAt: at(10) }, occurredAt: at(0) },
    { scanId: `${tag}-2`, traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake, occurredAt: at(1) },
    { scanId: `${tag}-3`, traceCode, facilityId: n.warehouse, action: 'DISINFECT', occurredAt: at(2) },
    { scanId: `${tag}-4`, traceCode, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage, occurredAt: at(3) },
    { scanId: `${tag}-5`, traceCode, facilityId: n.warehouse, action: 'SAMPLE', occurredAt: at(4) },
  ];
};

describe('batch capture (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;

  beforeAll(async () => {
    t = await createTestApp();
    n = await registerNetwork(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('1000 scans with 10 bad ones: 990 accepted in array order, 10 refused with their codes; sent again, nothing new and the same answer', async () => {
    const lots: string[] = [];
    for (let i = 0; i < 198; i++) lots.push((await registerLot(t, n, `BATCH-${uid()}`)).traceCode);
    const tag = uid();
    // Interleaved across lots: lot order within the array is what must hold, not adjacency.
    const walks = lots.map((lot, i) => walk(n, lot, `B-${tag}-${i}`, 60));
    const good: Scan[] = [];
    for (let step = 0; step < 5; step++) for (const w of walks) good.push(w[step]);
    const bad: [Scan, string][] = [
      [{ scanId: `X-${tag}-1`, traceCode: `NO-SUCH-${tag}`, facilityId: n.port, action: 'SAMPLE', occurredAt: minutesAgo(5) }, 'LOT_NOT_FOUND'],
      [{ scanId: `X-${tag}-2`, traceCode: `NO-SUCH-${tag}-2`, facilityId: n.port, action: 'SAMPLE', occurredAt: minutesAgo(5) }, 'LOT_NOT_FOUND'],
      // Not one of the key's facilities comes first, as for a lone scan (whether it exists is not the key's business).
      [{ scanId: `X-${tag}-3`, traceCode: lots[0], facilityId: `NO-FACILITY-${tag}`, action: 'SAMPLE', occurredAt: minutesAgo(5) }, 'FORBIDDEN'],
      [{ scanId: `X-${tag}-4`, traceCode: lots[1], facilityId: n.warehouse, action: 'TELEPORT', occurredAt: minutesAgo(5) }, 'VALIDATION_FAILED'],
      [{ scanId: `X-${tag}-5`, traceCode: lots[2], facilityId: n.warehouse, action: 'SAMPLE' }, 'VALIDATION_FAILED'],
      [{ scanId: `X-${tag}-6`, traceCode: lots[3], facilityId: n.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(5), extra: 1 }, 'VALIDATION_FAILED'],
      [{ traceCode: lots[4], facilityId: n.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(5) }, 'VALIDATION_FAILED'],
      [{ scanId: `X-${tag}-8`, traceCode: lots[5], facilityId: n.store, action: 'SAMPLE', occurredAt: minutesAgo(5) }, 'FORBIDDEN'],
      [{ scanId: `X-${tag}-9`, traceCode: lots[6], facilityId: n.market, action: 'DISPATCH', toFacilityId: `NO-FACILITY-${tag}`, occurredAt: minutesAgo(5) }, 'FACILITY_NOT_FOUND'],
      // Judged by the domain: a STORE scan names its zone.
      [{ scanId: `X-${tag}-10`, traceCode: lots[7], facilityId: n.warehouse, action: 'STORE', occurredAt: minutesAgo(5) }, 'VALIDATION_FAILED'],
    ];
    const scans = [...good];
    bad.forEach(([s], i) => scans.splice(37 + i * 97, 0, s));
    expect(scans).toHaveLength(1000);
    // A key for the network's port, warehouse and market only: the store is not its own.
    const scanner = t.as((await t.issueKey('OPERATOR', [n.port, n.warehouse, n.market], 'handheld')).token);

    const before = await count(t, `SELECT count(*) AS n FROM events`);
    const first = await scanner.post('/api/scans/batch').send({ scans }).expect(200);
    const results = first.body.results as Line[];
    expect(results).toHaveLength(1000);
    const refused = results.filter((r) => r.status === 'refused');
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(990);
    expect(refused.map((r) => [r.scanId, r.code])).toEqual(bad.map(([s, code]) => [s.scanId ?? null, code]));
    for (const r of refused) expect(r).toEqual(expect.objectContaining({ message: expect.any(String) }));
    // In array order per lot (a RECEIVE before its DISPATCH would have been refused): versions rise scan by scan.
    for (const w of walks) {
      const versions = w.map((s) => results[scans.indexOf(s)].version!);
      expect(versions.every((v, i) => i === 0 || v > versions[i - 1])).toBe(true);
    }
    expect(first.body.position).toBe(Math.max(...results.map((r) => r.position ?? 0)));
    const written = await count(t, `SELECT count(*) AS n FROM events`);
    expect(written - before).toBeGreaterThanOrEqual(990);
    expect(await count(t, `SELECT count(DISTINCT metadata->>'scanId') AS n FROM events WHERE metadata->>'scanId' LIKE $1`, [`B-${tag}-%`])).toBe(990);

    // Where each lot stands now, read from the read model: in the warehouse's storage.
    const e = await scanner.get(`/api/lots/${lots[10]}?atLeast=${first.body.position}`).expect(200);
    expect(e.body.holder).toEqual(expect.objectContaining({ facilityId: n.warehouse, zoneId: n.zones.warehouseStorage }));

    const again = await scanner.post('/api/scans/batch').send({ scans }).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await count(t, `SELECT count(*) AS n FROM events`)).toBe(written);

    // A scan sent alone is the same scan: its retry answers as the batch did.
    const alone = await scanner.post('/api/scans').send(walks[3][2]).expect(201);
    expect({ version: alone.body.version, position: alone.body.position }).toEqual({
      version: results[scans.indexOf(walks[3][2])].version,
      position: results[scans.indexOf(walks[3][2])].position,
    });
  });

  it('two batches on the same lots at once lose nothing and double nothing', async () => {
    const lots: string[] = [];
    for (let i = 0; i < 40; i++) lots.push((await registerLot(t, n, `PAIR-${uid()}`)).traceCode);
    const tag = uid();
    const sample = (who: string, lot: string, i: number) => ({ scanId: `${who}-${tag}-${i}`, traceCode: lot, facilityId: n.port, action: 'SAMPLE', occurredAt: minutesAgo(3) });
    const a = lots.flatMap((lot, i) => [sample('A', lot, i), sample('A', lot, i + 100)]);
    // The other batch walks the lots in the opposite order, so the two would cross if locks were taken as met.
    const b = [...lots].reverse().flatMap((lot, i) => [sample('B', lot, i), sample('B', lot, i + 100)]);
    const before = await count(t, `SELECT count(*) AS n FROM events WHERE stream_id = ANY($1)`, [lots.map((l) => `lot-${l}`)]);
    const answers = await Promise.all([a, b, a, b].map((scans) => t.http().post('/api/scans/batch').send({ scans })));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.body.results.filter((r: Line) => r.status !== 'accepted')).toEqual([]);
    }
    expect(answers[2].body).toEqual(answers[0].body);
    expect(answers[3].body).toEqual(answers[1].body);
    const events = await t.dataSource.query(
      `SELECT stream_id, stream_version, metadata->>'scanId' AS scan_id FROM events WHERE stream_id = ANY($1) AND stream_version > 1 ORDER BY stream_id, stream_version`,
      [lots.map((l) => `lot-${l}`)],
    );
    // One event per scan, each exactly once, and every lot's versions without a hole.
    expect(events.length).toBe((await count(t, `SELECT count(*) AS n FROM events WHERE stream_id = ANY($1)`, [lots.map((l) => `lot-${l}`)])) - before);
    expect(new Set(events.map((e: { scan_id: string }) => e.scan_id))).toEqual(new Set([...a, ...b].map((s) => s.scanId)));
    expect(events.length).toBe(a.length + b.length);
    for (const lot of lots) {
      const versions = events.filter((e: { stream_id: string }) => e.stream_id === `lot-${lot}`).map((e: { stream_version: number }) => e.stream_version);
      expect(versions).toEqual([2, 3, 4, 5]);
    }
  });

  it('refuses an envelope that is not a batch as a whole', async () => {
    const refusals = await Promise.all([
      t.http().post('/api/scans/batch').send({ scans: [] }),
      t.http().post('/api/scans/batch').send({ scans: 'x' }),
      t.http().post('/api/scans/batch').send({ scans: [1] }),
      t.http().post('/api/scans/batch').send({}),
      t.http().post('/api/scans/batch').send({ scans: Array.from({ length: 1001 }, () => ({})) }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([400, 'VALIDATION_FAILED']));
  });
});
