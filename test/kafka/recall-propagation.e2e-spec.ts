import { randomUUID } from 'node:crypto';
import { KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { CheckpointedSubscription } from '@app/event-store';
import { HEADERS, headerString, KafkaSettings, RELAY_SUBSCRIPTION } from '@app/messaging';
import { KafkaRelayTransport, TRANSPORT } from '../../apps/api/src/infrastructure.module';
import { createTestApp, TestApp } from '../support/test-app';
import { Network, registerLot, registerNetwork, scanOk, uid } from '../support/fixtures';
import { createTestProjector, rawKafka, readTopic, testKafkaSettings, TestProjector } from '../support/kafka';
import { describeNeeding } from '../support/needs';
import { waitFor } from '../support/wait-for';

/**
 * A recall reaching a whole genealogy (~200 lots) through the Kafka transport,
 * with the projector and then the relay restarted while the recall is on its
 * way: every lot ends up recalled exactly once per recall, everywhere.
 */

const MIDS = 10;
const LEAVES_PER_MID = 20;
const TOTAL = 1 + MIDS + MIDS * LEAVES_PER_MID;

interface Genealogy {
  root: string;
  lots: string[];
  /** Where each lot is (or is heading): the key its recall notification must carry. */
  holder: Map<string, string>;
  position: number;
}

interface RecallResponse {
  traceCode: string;
  recallId: string;
  position: number;
  lotsAffected: number;
}

interface SplitResponse {
  position: number;
  children: { traceCode: string; quantity: number; version: number }[];
}

interface EligibilityResponse {
  allowed: boolean;
  reasons: { code: string; message: string }[];
}

interface RecallMessageValue {
  recallId: string;
  traceCode: string;
  origin: string;
  reason: string;
  source: string;
  holderFacilityId: string | null;
  eventId: string;
}

type TopicMessage = KafkaMessage & { partition: number };

const count = async (t: TestApp, sql: string, params: unknown[] = []): Promise<number> => Number((await t.dataSource.query(sql, params))[0].n);
const lotEventCount = (t: TestApp) => count(t, `SELECT count(*) AS n FROM events WHERE stream_id LIKE 'lot-%'`);
const inboxCount = (t: TestApp) => count(t, `SELECT count(*) AS n FROM projector_inbox WHERE outcome = 'APPLIED'`);
const recallRows = (t: TestApp, recallId: string) => count(t, `SELECT count(*) AS n FROM recall_lots WHERE recall_id = $1`, [recallId]);

const split = async (t: TestApp, parent: string, children: { traceCode: string; quantity: number }[]): Promise<SplitResponse> => {
  const res = await t.http().post(`/api/lots/${parent}/splits`).send({ splitId: `SPLIT-${uid()}`, children });
  if (res.status !== 201) throw new Error(`split of ${parent} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SplitResponse;
};

/**
 * root (port) -> 10 mids; the odd mids go to the central warehouse and are received there; each mid
 * -> 20 leaves at its holder. One leaf is then dispatched to the market and left in transit.
 */
const buildGenealogy = async (t: TestApp, n: Network): Promise<Genealogy> => {
  const root = `RC-${uid()}`;
  await registerLot(t, n, root, MIDS * LEAVES_PER_MID * 10, 'KG');
  const holder = new Map<string, string>([[root, n.port]]);
  const mids = Array.from({ length: MIDS }, (_, i) => `${root}.M${i}`);
  let position = (await split(t, root, mids.map((traceCode) => ({ traceCode, quantity: LEAVES_PER_MID * 10 })))).position;
  const lots = [root, ...mids];
  for (const [i, mid] of mids.entries()) {
    holder.set(mid, n.port);
    if (i % 2 === 1) {
      await scanOk(t, { traceCode: mid, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' }, occurredAt: new Date().toISOString() });
      await scanOk(t, { traceCode: mid, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake, occurredAt: new Date().toISOString() });
      holder.set(mid, n.warehouse);
    }
    const leaves = Array.from({ length: LEAVES_PER_MID }, (_, j) => `${mid}.L${j}`);
    position = (await split(t, mid, leaves.map((traceCode) => ({ traceCode, quantity: 10 })))).position;
    for (const leaf of leaves) holder.set(leaf, holder.get(mid)!);
    lots.push(...leaves);
  }
  const travelling = `${mids[0]}.L0`;
  position = (
    await scanOk(t, { traceCode: travelling, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.market, vehicle: { plate: 'TRUCK-2' }, occurredAt: new Date().toISOString() })
  ).position;
  holder.set(travelling, n.market);
  expect(lots).toHaveLength(TOTAL);
  return { root, lots, holder, position };
};

const recall = async (t: TestApp, root: string, recallId: string, reason: string): Promise<RecallResponse> => {
  const res = await t.http().post(`/api/lots/${root}/recall`).send({ reason, recallId });
  if (res.status !== 201) throw new Error(`recall of ${root} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as RecallResponse;
};

/** Every lot's sale eligibility via the api, a few requests at a time. */
const eligibilities = async (t: TestApp, lots: readonly string[], atLeast: number): Promise<Map<string, EligibilityResponse>> => {
  const out = new Map<string, EligibilityResponse>();
  for (let i = 0; i < lots.length; i += 20) {
    await Promise.all(
      lots.slice(i, i + 20).map(async (tc) => {
        const res = await t.http().get(`/api/lots/${tc}/sale-eligibility?atLeast=${atLeast}`).expect(200);
        out.set(tc, res.body as EligibilityResponse);
      }),
    );
  }
  return out;
};

/**
 * A transaction of the test's own holding the lot_summary rows of one partition's lots
 * (FOR UPDATE): a projector batch of that partition waits for it, inside its own transaction.
 */
interface RowHold {
  readonly partition: number;
  readonly pid: number;
  released: boolean;
  release(): Promise<void>;
}

const holdRows = async (databaseUrl: string, partition: number, traceCodes: readonly string[]): Promise<RowHold> => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const locked = await client.query('SELECT trace_code FROM lot_summary WHERE trace_code = ANY($1) FOR UPDATE', [traceCodes]);
  expect(locked.rowCount).toBe(traceCodes.length);
  const hold: RowHold = {
    partition,
    pid: rows[0].pid,
    released: false,
    release: async () => {
      if (hold.released) return;
      hold.released = true;
      await client.query('COMMIT');
      await client.end();
    },
  };
  return hold;
};

/** The hold some other session (the projector) is waiting on, if any. */
const holdWaitedOn = async (t: TestApp, holds: readonly RowHold[]): Promise<RowHold | undefined> => {
  const rows: { blocked_by: number[] }[] = await t.dataSource.query(
    `SELECT pg_blocking_pids(pid) AS blocked_by FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  const blocking = new Set(rows.flatMap((r) => r.blocked_by));
  return holds.find((h) => !h.released && blocking.has(h.pid));
};

const messagesInTopic = async (topic: string): Promise<number> => {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
};

describeNeeding('kafka', __filename)('a recall over a ~200-lot genealogy through Kafka, across projector and relay restarts (integration)', () => {
  let kafka: KafkaSettings;
  let t: TestApp;
  let transport: KafkaRelayTransport;
  let projector: TestProjector;
  const projectors: TestProjector[] = [];
  const holds: RowHold[] = [];
  let n: Network;
  let g: Genealogy;
  const first = { recallId: `RECALL-${randomUUID()}`, reason: 'Listeria found in a retained sample of the import lot' };
  const second = { recallId: `RECALL-${randomUUID()}`, reason: 'Cold chain broken at the port: container at +4 °C' };

  beforeAll(async () => {
    kafka = testKafkaSettings(4);
    t = await createTestApp({ kafka, readWaitTimeoutMs: 30_000 });
    transport = t.app.get<KafkaRelayTransport>(TRANSPORT);
    await transport.ready();
    projector = await createTestProjector(t.databaseUrl, kafka);
    projectors.push(projector);
    n = await registerNetwork(t);
    g = await buildGenealogy(t, n);
    // Every lot's read model is there before the recall (read-your-writes on the last write of the build).
    await t.http().get(`/api/lots/${g.root}/trace?direction=forward&atLeast=${g.position}`).expect(200);
    await waitFor('the projector to have applied the whole build', async () => (await inboxCount(t)) === (await lotEventCount(t)));
  });

  afterAll(async () => {
    for (const h of holds) await h.release().catch(() => undefined);
    for (const p of projectors) await p.close().catch(() => undefined);
    await t?.close();
  });

  it('builds the genealogy through the api: every descendant of the root is traced forward', async () => {
    const trace = await t.http().get(`/api/lots/${g.root}/trace?direction=forward&atLeast=${g.position}`).expect(200);
    expect(trace.body.pending).toEqual([]);
    expect((trace.body.lots as { traceCode: string }[]).map((l) => l.traceCode).sort()).toEqual([...g.lots].sort());
    expect(trace.body.links).toHaveLength(TOTAL - 1);
  });

  it('(a) a projector closed while it applies the recall, and a new one in its group, leave every lot recalled exactly once', async () => {
    // Which partition each lot's messages go to, as the broker holds them.
    const partitionOf = new Map<string, number>();
    for (const m of await readTopic(kafka.lotEventsTopic, await lotEventCount(t))) partitionOf.set(m.key!.toString(), m.partition);
    expect(g.lots.every((tc) => partitionOf.has(tc))).toBe(true);
    const byPartition = new Map<number, string[]>();
    for (const tc of g.lots) byPartition.set(partitionOf.get(tc)!, [...(byPartition.get(partitionOf.get(tc)!) ?? []), tc]);
    expect(byPartition.size).toBeGreaterThanOrEqual(3);

    // The recall is written while the relay waits, so that our holds below are younger than its
    // transaction: a hold takes a transaction id, and the relay (gap-free) never reads past an older open one.
    const relay = transport.relay!;
    await relay.stop();
    const res = await recall(t, g.root, first.recallId, first.reason);
    expect(res).toMatchObject({ traceCode: g.root, recallId: first.recallId, lotsAffected: TOTAL });

    // Each partition's lots are held by a transaction of ours: the projector's batches wait, one partition at a time.
    try {
      for (const [partition, codes] of byPartition) holds.push(await holdRows(t.databaseUrl, partition, codes));
      relay.start(t.store.appended, { pollIntervalMs: 50, retryDelayMs: 200 }, { error: () => undefined });

      // Let exactly one partition's batch through; the projector then waits inside the next one.
      const firstWait = await waitFor('the projector to wait on a held partition', () => holdWaitedOn(t, holds));
      await firstWait.release();
      const secondWait = await waitFor('the projector to wait on another held partition', () => holdWaitedOn(t, holds));
      expect(secondWait.partition).not.toBe(firstWait.partition);
      const applied = await recallRows(t, first.recallId);
      expect(applied).toBe(byPartition.get(firstWait.partition)!.length);
      expect(applied).toBeGreaterThan(0);
      expect(applied).toBeLessThan(TOTAL);

      // Closed mid-way: it finishes the batch in hand (once we let it) and leaves the group.
      const closing = projector.close();
      for (const h of holds) await h.release();
      await closing;
      projectors.splice(projectors.indexOf(projector), 1);
    } finally {
      for (const h of holds) await h.release();
    }
    const whenClosed = await recallRows(t, first.recallId);
    expect(whenClosed).toBeLessThan(TOTAL);

    projector = await createTestProjector(t.databaseUrl, kafka);
    projectors.push(projector);
    await waitFor('every lot to be in recall_lots', async () => (await recallRows(t, first.recallId)) === TOTAL, 60_000);
    await waitFor('the projector to have handled every lot event', async () => (await inboxCount(t)) === (await lotEventCount(t)), 60_000);

    // The event store: exactly one LotRecalled per lot.
    const recalled: { trace_code: string; n: string }[] = await t.dataSource.query(
      `SELECT substr(stream_id, 5) AS trace_code, count(*) AS n FROM events WHERE type = 'LotRecalled' AND data->>'recallId' = $1 GROUP BY stream_id`,
      [first.recallId],
    );
    expect(recalled.map((r) => r.trace_code).sort()).toEqual([...g.lots].sort());
    expect(recalled.filter((r) => Number(r.n) !== 1)).toEqual([]);

    // The read models: one recall_lots row and one LotRecalled history entry per lot.
    const rows: { trace_code: string; origin_trace_code: string; reason: string; holder_facility_id: string | null }[] = await t.dataSource.query(
      `SELECT trace_code, origin_trace_code, reason, holder_facility_id FROM recall_lots WHERE recall_id = $1`,
      [first.recallId],
    );
    expect(rows).toHaveLength(TOTAL);
    expect(rows.map((r) => r.trace_code).sort()).toEqual([...g.lots].sort());
    for (const r of rows) expect(r).toMatchObject({ origin_trace_code: g.root, reason: first.reason, holder_facility_id: g.holder.get(r.trace_code) });
    const history: { trace_code: string; n: string }[] = await t.dataSource.query(
      `SELECT trace_code, count(*) AS n FROM lot_history WHERE type = 'LotRecalled' AND trace_code = ANY($1) GROUP BY trace_code`,
      [g.lots],
    );
    expect(history).toHaveLength(TOTAL);
    expect(history.filter((h) => Number(h.n) !== 1)).toEqual([]);

    // The api: no lot of the genealogy may be sold, and each says why.
    const verdicts = await eligibilities(t, g.lots, res.position);
    for (const tc of g.lots) {
      const v = verdicts.get(tc)!;
      expect(v.allowed).toBe(false);
      expect(v.reasons.filter((r) => r.code === 'LOT_RECALLED')).toHaveLength(1);
    }
  });

  it('(b) a relay killed between publish and checkpoint republishes a second recall; still one row per (recall, lot)', async () => {
    const relay = transport.relay!;
    await relay.stop();

    // Written while the relay is down: it waits in the outbox.
    const res = await recall(t, g.root, second.recallId, second.reason);
    expect(res).toMatchObject({ recallId: second.recallId, lotsAffected: TOTAL });
    const duplicatesBefore = projector.service.consumer.stats.duplicates;

    // The relay dies after the broker acknowledged the batch, before its checkpoint commits.
    const dying = new CheckpointedSubscription(RELAY_SUBSCRIPTION, t.store, t.dataSource, async (events) => {
      await relay.publish(events);
      throw new Error('killed between publish and checkpoint');
    });
    await expect(dying.processBatch()).rejects.toThrow('killed between publish and checkpoint');
    await waitFor('the first copies of the second recall to be applied', async () => (await recallRows(t, second.recallId)) === TOTAL, 60_000);

    // Restarted, the relay publishes the same batch again from its old checkpoint.
    relay.start(t.store.appended, { pollIntervalMs: 50, retryDelayMs: 200 }, { error: () => undefined });
    await waitFor('the republished copies to arrive as duplicates', async () => projector.service.consumer.stats.duplicates - duplicatesBefore >= TOTAL, 60_000);
    await waitFor('the relay to have checkpointed the second recall', async () => (await relay.subscription.checkpoint()).globalPosition >= res.position);

    expect(projector.service.consumer.stats.duplicates).toBeGreaterThan(duplicatesBefore);
    const perPair: { recall_id: string; trace_code: string; n: string }[] = await t.dataSource.query(
      `SELECT recall_id, trace_code, count(*) AS n FROM recall_lots WHERE trace_code = ANY($1) GROUP BY recall_id, trace_code`,
      [g.lots],
    );
    expect(perPair).toHaveLength(2 * TOTAL);
    expect(perPair.filter((p) => Number(p.n) !== 1)).toEqual([]);
    expect(await recallRows(t, second.recallId)).toBe(TOTAL);
    const history: { trace_code: string; n: string; recalls: string }[] = await t.dataSource.query(
      `SELECT trace_code, count(*) AS n, count(DISTINCT data->>'recallId') AS recalls FROM lot_history
        WHERE type = 'LotRecalled' AND trace_code = ANY($1) GROUP BY trace_code`,
      [g.lots],
    );
    expect(history).toHaveLength(TOTAL);
    expect(history.filter((h) => Number(h.n) !== 2 || Number(h.recalls) !== 2)).toEqual([]);
    expect(await count(t, `SELECT count(*) AS n FROM events WHERE type = 'LotRecalled' AND data->>'recallId' = $1`, [second.recallId])).toBe(TOTAL);
    expect(await inboxCount(t)).toBe(await lotEventCount(t));

    const verdicts = await eligibilities(t, g.lots, res.position);
    for (const tc of g.lots) expect(verdicts.get(tc)!.reasons.filter((r) => r.code === 'LOT_RECALLED')).toHaveLength(2);
  });

  it('(c) the recalls topic has one message per recalled lot per recall, keyed by the holder, once copies are deduped by event id', async () => {
    const total = await messagesInTopic(kafka.recallsTopic);
    // The first recall once, the second twice (the relay republished it).
    expect(total).toBe(TOTAL + 2 * TOTAL);
    const messages = await readTopic(kafka.recallsTopic, total);
    expect(messages).toHaveLength(total);

    const storeIds = new Map<string, string>(
      ((await t.dataSource.query(`SELECT event_id, substr(stream_id, 5) AS trace_code, data->>'recallId' AS recall_id FROM events WHERE type = 'LotRecalled'`)) as {
        event_id: string;
        trace_code: string;
        recall_id: string;
      }[]).map((r) => [`${r.recall_id}/${r.trace_code}`, r.event_id]),
    );

    const byEventId = new Map<string, TopicMessage[]>();
    for (const m of messages) {
      const id = headerString(m.headers, HEADERS.eventId);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      byEventId.set(id!, [...(byEventId.get(id!) ?? []), m]);
    }
    expect(byEventId.size).toBe(2 * TOTAL);

    const perRecall = new Map<string, Map<string, RecallMessageValue>>([
      [first.recallId, new Map()],
      [second.recallId, new Map()],
    ]);
    const partitionOfKey = new Map<string, number>();
    for (const [eventId, copies] of byEventId) {
      // Copies of one event are the same message.
      for (const c of copies) {
        expect(c.key?.toString()).toBe(copies[0].key?.toString());
        expect(c.value?.toString()).toBe(copies[0].value?.toString());
      }
      const m = copies[0];
      const value = JSON.parse(m.value!.toString('utf8')) as RecallMessageValue;
      const lots = perRecall.get(value.recallId);
      expect(lots).toBeDefined();
      expect(lots!.has(value.traceCode)).toBe(false);
      lots!.set(value.traceCode, value);
      expect(value).toMatchObject({ origin: g.root, source: 'REGULATOR', eventId, holderFacilityId: g.holder.get(value.traceCode) });
      expect(value.reason).toBe(value.recallId === first.recallId ? first.reason : second.reason);
      expect(m.key?.toString()).toBe(g.holder.get(value.traceCode));
      expect(headerString(m.headers, HEADERS.traceCode)).toBe(value.traceCode);
      expect(headerString(m.headers, 'recall-id')).toBe(value.recallId);
      expect(storeIds.get(`${value.recallId}/${value.traceCode}`)).toBe(eventId);
      // One facility's notifications share a partition.
      const key = m.key!.toString();
      expect(partitionOfKey.get(key) ?? m.partition).toBe(m.partition);
      partitionOfKey.set(key, m.partition);
    }
    for (const lots of perRecall.values()) expect([...lots.keys()].sort()).toEqual([...g.lots].sort());
    expect(new Set(messages.map((m) => m.key?.toString()))).toEqual(new Set([n.port, n.warehouse, n.market]));

    // The first recall was never republished: exactly one raw message per lot.
    const firstRaw = messages.filter((m) => headerString(m.headers, 'recall-id') === first.recallId);
    expect(firstRaw).toHaveLength(TOTAL);
  });
});
