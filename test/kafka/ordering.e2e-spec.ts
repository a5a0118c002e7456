import { eligibilityFacts, evolveLot, initialLotState, toLotEvent } from '@app/domain';
import { lotRecord } from '@app/read-models';
import { HEADERS, headerString, KafkaSettings } from '@app/messaging';
import { KafkaRelayTransport, TRANSPORT } from '../../apps/api/src/infrastructure.module';
import { createTestApp, TestApp } from '../support/test-app';
import { registerLot, registerNetwork, scanBody, uid } from '../support/fixtures';
import { createTestProjector, readTopic, testKafkaSettings, TestProjector } from '../support/kafka';
import { describeNeeding } from '../support/needs';
import { waitFor } from '../support/wait-for';

describeNeeding('kafka', __filename)('per-lot order with 6 partitions and two projector instances in one group (integration)', () => {
  let t: TestApp;
  let kafka: KafkaSettings;
  let a: TestProjector;
  let b: TestProjector;

  beforeAll(async () => {
    kafka = testKafkaSettings(6);
    t = await createTestApp({ kafka });
    await t.app.get<KafkaRelayTransport>(TRANSPORT).ready();
    [a, b] = await Promise.all([createTestProjector(t.databaseUrl, kafka), createTestProjector(t.databaseUrl, kafka)]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await t?.close();
  });

  it('applies each lot in version order while both instances share the partitions', async () => {
    const n = await registerNetwork(t);
    const lots = await Promise.all(Array.from({ length: 24 }, () => registerLot(t, n)));
    // Interleave writes to many lots, several in flight at once.
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(
        lots.map((lot, i) =>
          t.http().post('/api/scans').send(scanBody({ traceCode: lot.traceCode, facilityId: n.port, action: (round + i) % 2 ? 'SAMPLE' : 'DISINFECT', scanId: `O-${uid()}` })),
        ),
      );
      for (const r of results) expect(r.status).toBe(201);
    }
    const total = Number((await t.dataSource.query(`SELECT count(*) AS n FROM events WHERE stream_id LIKE 'lot-%'`))[0].n);
    await waitFor('both projectors to apply everything', async () => a.service.consumer.stats.applied + b.service.consumer.stats.applied >= total, 60_000);

    // Both instances did real work: the group spread the six partitions over them.
    expect(a.service.consumer.stats.applied).toBeGreaterThan(0);
    expect(b.service.consumer.stats.applied).toBeGreaterThan(0);

    // Every lot's events sit on one partition, in version order.
    const messages = await readTopic(kafka.lotEventsTopic, total);
    const byLot = new Map<string, { partition: number; version: number }[]>();
    for (const m of messages) {
      const key = m.key!.toString();
      byLot.set(key, [...(byLot.get(key) ?? []), { partition: m.partition, version: Number(headerString(m.headers, HEADERS.streamVersion)) }]);
    }
    for (const lot of lots) {
      const seq = byLot.get(lot.traceCode)!;
      expect(new Set(seq.map((s) => s.partition)).size).toBe(1);
      expect(seq.map((s) => s.version)).toEqual(seq.map((_, i) => i + 1));
    }

    // Out-of-order application would have skipped events: each read model equals a fresh fold of its stream.
    for (const lot of lots) {
      const stream = await t.store.readStream(`lot-${lot.traceCode}`);
      const folded = stream.events.reduce((s, e) => evolveLot(s, toLotEvent(e.type, e.schemaVersion, e.data)), initialLotState());
      const [row] = await t.dataSource.query(`SELECT lot, facts, version FROM lot_summary WHERE trace_code = $1`, [lot.traceCode]);
      expect(row).toEqual(JSON.parse(JSON.stringify({ lot: lotRecord(folded), facts: eligibilityFacts(folded), version: stream.version })));
    }
  });
});
