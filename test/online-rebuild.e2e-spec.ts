import { NewEvent } from '@app/event-store';
import { lotStreamId } from '@app/domain';
import { rebuildProjections } from '../apps/api/src/cli/rebuild-projections';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork, uid, walkToStore } from './support/fixtures';
import { waitFor } from './support/wait-for';

/** Lots copied into the log before the rebuild, so that it runs long enough for the clients to meet it. */
const COPIES = 600;
const READERS = 20;
const WRITERS = 4;

const snapshot = async (t: TestApp) => ({
  summary: await t.dataSource.query(`SELECT trace_code, lot, facts, facility_ids, status, holder_facility_id, version, position FROM lot_summary ORDER BY trace_code`),
  eligibility: await t.dataSource.query(`SELECT trace_code, allowed, reasons, facts, flag_list, facility_ids, version, position FROM sale_eligibility ORDER BY trace_code`),
  history: await t.dataSource.query(`SELECT trace_code, version, position, event_id, type, facility_id, scan_id, data, metadata, hash FROM lot_history ORDER BY trace_code, version`),
  recalls: await t.dataSource.query(`SELECT * FROM recall_lots ORDER BY recall_id, trace_code`),
  links: await t.dataSource.query(`SELECT parent_trace_code, child_trace_code, kind, position FROM lot_links ORDER BY parent_trace_code, child_trace_code`),
  documents: await t.dataSource.query(`SELECT type, issuer, number, trace_code, position FROM lot_documents ORDER BY type, issuer, number, trace_code`),
  keys: await t.dataSource.query(`SELECT key_id, name, role, facility_ids, token_sha256, issued_at, revoked_at FROM api_keys ORDER BY key_id`),
});

/** Copies of a walked lot's events under new trace codes, appended by the event store (hash chains and inline projections as for any append). */
const appendCopies = async (t: TestApp, traceCode: string, copies: number): Promise<void> => {
  const rows: { type: string; schema_version: number; data: unknown; metadata: unknown; occurred_at: Date }[] = await t.dataSource.query(
    `SELECT type, schema_version, data, metadata, occurred_at FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [lotStreamId(traceCode)],
  );
  const template = rows.map((r) => ({ ...r, data: JSON.stringify(r.data), metadata: JSON.stringify(r.metadata) }));
  for (let from = 0; from < copies; from += 50) {
    const appends = Array.from({ length: Math.min(50, copies - from) }, (_, i) => {
      const code = `${traceCode}-C${from + i}`;
      const events: NewEvent[] = template.map((e) => ({
        type: e.type,
        schemaVersion: e.schema_version,
        data: JSON.parse(e.data.split(traceCode).join(code)),
        metadata: JSON.parse(e.metadata.split(traceCode).join(code)),
        occurredAt: e.occurred_at.toISOString(),
      }));
      return { streamId: lotStreamId(code), streamType: 'lot', expectedVersion: 0, events };
    });
    await t.store.appendMany(appends);
  }
};

describe('online rebuild (e2e, real PostgreSQL): built beside the live tables while the api serves, then swapped in', () => {
  let t: TestApp;
  const lots: string[] = [];
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it(`${READERS} tills reading eligibility and ${WRITERS} scanners writing through a rebuild: no failed read, no lost scan, tables equal to a fresh fold`, async () => {
    const n = await registerNetwork(t);
    for (let i = 0; i < WRITERS * 2; i++) {
      const { traceCode } = await registerLot(t, n);
      await walkToStore(t, n, traceCode);
      lots.push(traceCode);
    }
    await appendCopies(t, lots[0], COPIES);
    const till = t.as((await t.issueKey('OPERATOR', [n.store], 'till')).token);

    let rebuilding = true;
    const reads = { ok: 0, failed: [] as string[], duringRebuild: 0 };
    const readers = Array.from({ length: READERS }, async (_, r) => {
      for (let i = r; rebuilding; i++) {
        const res = await till.get(`/api/lots/${lots[i % lots.length]}/sale-eligibility`);
        if (res.status === 200 && typeof res.body.allowed === 'boolean') reads.ok++;
        else reads.failed.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        if (rebuilding) reads.duringRebuild++;
      }
    });
    // Each scanner its own two lots: no version conflicts between them, every scan must be accepted.
    const scans: { traceCode: string; scanId: string; position: number; version: number }[] = [];
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; rebuilding; i++) {
        const traceCode = lots[w * 2 + (i % 2)];
        const scanId = `SCAN-${uid()}`;
        const res = await t.http().post('/api/scans').send({ scanId, occurredAt: new Date().toISOString(), traceCode, facilityId: n.store, action: 'SAMPLE' });
        expect(res.status).toBe(201);
        scans.push({ traceCode, scanId, position: res.body.position, version: res.body.version });
      }
    });

    const counts = await rebuildProjections(t.databaseUrl).finally(() => (rebuilding = false));
    await Promise.all([...readers, ...writers]);

    const events = Number((await t.dataSource.query(`SELECT count(*) AS n FROM events`))[0].n);
    expect(counts['lot-summary']).toBeGreaterThanOrEqual(COPIES * 14);
    expect(counts['lot-summary']).toBeLessThanOrEqual(events);
    expect(reads.failed).toEqual([]);
    expect(reads.duringRebuild).toBeGreaterThan(0);
    expect(scans.length).toBeGreaterThan(0);
    // Nothing of the rebuild is left beside the live tables.
    expect(await t.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'read_models_%'`)).toEqual([]);

    // Every accepted scan is in the log, and in the swapped tables once the live projections have caught up.
    const last = Math.max(...scans.map((s) => s.position));
    const logged: { scan_id: string; global_position: string }[] = await t.dataSource.query(
      `SELECT data->>'scanId' AS scan_id, global_position FROM events WHERE data->>'scanId' = ANY($1)`,
      [scans.map((s) => s.scanId)],
    );
    expect(new Map(logged.map((l) => [l.scan_id, Number(l.global_position)]))).toEqual(new Map(scans.map((s) => [s.scanId, s.position])));
    for (const code of lots) {
      await t.http().get(`/api/lots/${code}/history?atLeast=${last}`).expect(200);
      await t.http().get(`/api/lots/${code}?atLeast=${last}`).expect(200);
      await t.http().get(`/api/lots/${code}/sale-eligibility?atLeast=${last}`).expect(200);
    }
    const history: { scan_id: string }[] = await t.dataSource.query(`SELECT scan_id FROM lot_history WHERE scan_id = ANY($1)`, [scans.map((s) => s.scanId)]);
    expect(history.map((h) => h.scan_id).sort()).toEqual(scans.map((s) => s.scanId).sort());
    for (const projection of ['lot-summary', 'lot-history', 'sale-eligibility', 'recalls']) await t.projections.subscription(projection).catchUp();
    const online = await snapshot(t);
    for (const s of scans) {
      const row = online.summary.find((r: { trace_code: string }) => r.trace_code === s.traceCode);
      expect(row.version).toBeGreaterThanOrEqual(s.version);
    }

    // A fresh fold of the same log, with nothing else running: the same tables.
    await t.projections.stop();
    try {
      await rebuildProjections(t.databaseUrl);
      expect(await snapshot(t)).toEqual(online);
    } finally {
      t.projections.start(t.store.appended, { pollIntervalMs: 50, retryDelayMs: 100 }, { error: () => undefined });
    }
  });

  it('a rebuild a migration asked for runs in the background of an api that starts and serves meanwhile', async () => {
    const before = await snapshot(t);
    // As a migration leaves it: the rows' shape changed, and a request for the projection that fills them.
    await t.dataSource.query(`INSERT INTO read_model_rebuilds (projection, reason) VALUES ('sale-eligibility', 'test')`);
    const second = await createTestApp({}, t);
    try {
      await second.http().get(`/api/lots/${lots[0]}/sale-eligibility`).expect(200);
      await waitFor('the requested rebuild', async () => (await t.dataSource.query(`SELECT 1 FROM read_model_rebuilds`)).length === 0, 120_000);
      // The second api issued its own keys meanwhile: the eligibility rows are what is compared.
      expect((await snapshot(t)).eligibility).toEqual(before.eligibility);
    } finally {
      await second.close();
    }
  });
});
