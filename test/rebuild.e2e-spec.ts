import { rebuildProjections } from '../apps/api/src/cli/rebuild-projections';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork, scanOk, walkToStore } from './support/fixtures';

const snapshot = async (t: TestApp) => ({
  summary: await t.dataSource.query(`SELECT trace_code, lot, facts, facility_ids, status, holder_facility_id, version, position FROM lot_summary ORDER BY trace_code`),
  eligibility: await t.dataSource.query(`SELECT trace_code, allowed, reasons, facts, flag_list, facility_ids, version, position FROM sale_eligibility ORDER BY trace_code`),
  history: await t.dataSource.query(`SELECT trace_code, version, position, event_id, type, data FROM lot_history ORDER BY trace_code, version`),
  documents: await t.dataSource.query(`SELECT type, issuer, number, trace_code, position FROM lot_documents ORDER BY type, issuer, number, trace_code`),
  keys: await t.dataSource.query(`SELECT key_id, name, role, facility_ids, token_sha256, issued_at, issued_by, revoked_at, revoked_by FROM api_keys ORDER BY key_id`),
});

describe('projections:rebuild (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('run beside live projections and flowing scans, ends where a quiet rebuild ends', async () => {
    const n = await registerNetwork(t);
    const lots = [];
    for (let i = 0; i < 20; i++) lots.push((await registerLot(t, n)).traceCode);
    let flowing = true;
    let last = 0;
    const scans = (async () => {
      for (let i = 0; flowing; i++) last = (await scanOk(t, { traceCode: lots[i % lots.length], facilityId: n.port, action: 'SAMPLE' })).position;
    })();
    await rebuildProjections(t.databaseUrl);
    flowing = false;
    await scans;
    await t.http().get(`/api/lots/${lots[0]}/history?atLeast=${last}`).expect(200);
    for (const projection of ['lot-summary', 'sale-eligibility', 'recalls']) await t.projections.subscription(projection).catchUp();
    const live = await snapshot(t);
    await t.projections.stop();
    try {
      await rebuildProjections(t.databaseUrl);
      expect(await snapshot(t)).toEqual(live);
    } finally {
      t.projections.start(t.store.appended, { pollIntervalMs: 50, retryDelayMs: 100 }, { error: () => undefined });
    }
  });

  it('replays the whole log from position 0 into identical read models', async () => {
    const n = await registerNetwork(t);
    const a = await registerLot(t, n);
    await walkToStore(t, n, a.traceCode);
    const b = await registerLot(t, n);
    const last = await scanOk(t, { traceCode: b.traceCode, facilityId: n.port, action: 'SAMPLE' });
    await t.http().get(`/api/lots/${b.traceCode}/history?atLeast=${last.position}`).expect(200);
    await t.http().get(`/api/lots/${b.traceCode}?atLeast=${last.position}`).expect(200);
    await t.http().get(`/api/lots/${b.traceCode}/sale-eligibility?atLeast=${last.position}`).expect(200);
    const before = await snapshot(t);
    expect(before.history.length).toBeGreaterThan(10);

    // Damage a read model as a buggy deploy might; the rebuild must restore it from the events alone.
    await t.dataSource.query(`UPDATE sale_eligibility SET allowed = NOT allowed, reasons = '[]'`);
    await t.dataSource.query(`DELETE FROM lot_history WHERE version > 2`);
    await t.dataSource.query(`UPDATE api_keys SET revoked_at = now()`);

    // Stop the app's own in-process projections so the rebuild's counts are its own.
    await t.projections.stop();
    const counts = await rebuildProjections(t.databaseUrl);
    const events = Number((await t.dataSource.query(`SELECT count(*) AS n FROM events`))[0].n);
    expect(counts).toEqual({ 'lot-summary': events, 'lot-history': events, 'sale-eligibility': events, recalls: events, genealogy: events, 'api-keys': events, 'lot-documents': events, sightings: events });
    expect(await snapshot(t)).toEqual(before);
  });
});
