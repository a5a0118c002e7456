import request from 'supertest';
import { eligibilityFacts, evolveLot, initialLotState, lotStreamId, toLotEvent } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { HEADERS, KafkaSettings, toLotEventMessage } from '@app/messaging';
import { lotRecord } from '@app/read-models';
import { KafkaRelayTransport, TRANSPORT } from '../../apps/api/src/infrastructure.module';
import { captureLogs } from '../support/logs';
import { createTestApp, TestApp } from '../support/test-app';
import { Network, registerLot, registerNetwork, scanOk } from '../support/fixtures';
import { createTestProjector, rawKafka, testKafkaSettings, TestProjector } from '../support/kafka';
import { describeNeeding } from '../support/needs';
import { waitFor } from '../support/wait-for';

/**
 * Kafka mode: the projector must never fold a lot past a hole. Here the test
 * is the relay: it publishes a lot's events to the projector's topic itself,
 * with one of them replaced by a message nobody can read, so the projector
 * sees that event dead-lettered, never delivered.
 */
describeNeeding('kafka', __filename)('self-healing projections in Kafka mode (integration, real broker)', () => {
  let relayTopics: KafkaSettings;
  // Every lost event here is a dead-lettered message, which the projector logs as an error: kept here, not printed.
  const projectorLogs = captureLogs('projector');
  let kafka: KafkaSettings;
  let t: TestApp;
  let projector: TestProjector;
  let n: Network;
  const producer = rawKafka().producer();

  const streamOf = async (traceCode: string): Promise<StoredEvent[]> => (await t.store.readStream(lotStreamId(traceCode))).events;

  /** Publishes these events as the relay would, except `lost` versions, sent as unreadable messages with the lot's key. */
  const publish = async (events: readonly StoredEvent[], lost: readonly number[] = []) => {
    await producer.send({
      topic: kafka.lotEventsTopic,
      messages: events.map((e) => {
        const m = toLotEventMessage(e);
        return lost.includes(e.version) ? { key: m.key, value: 'lost in transit', headers: { [HEADERS.traceCode]: String(m.key) } } : m;
      }),
    });
  };

  const freshFold = (events: readonly StoredEvent[]) => events.reduce((s, e) => evolveLot(s, toLotEvent(e.type, e.schemaVersion, e.data)), initialLotState());

  const rowsOf = async (traceCode: string) => {
    const [row] = await t.dataSource.query(`SELECT lot, facts, version FROM lot_summary WHERE trace_code = $1`, [traceCode]);
    return row;
  };

  const parked = async (traceCode: string) =>
    (await t.dataSource.query(`SELECT reason, attempts, last_error FROM projector_parked WHERE stream_id = $1`, [lotStreamId(traceCode)]))[0] ?? null;

  /** A lot with six events: registered, then five scans at its port. */
  const lotWithSixEvents = async () => {
    const { traceCode } = await registerLot(t, n);
    for (let i = 0; i < 5; i++) await scanOk(t, { traceCode, facilityId: n.port, action: i % 2 ? 'SAMPLE' : 'DISINFECT' });
    const events = await streamOf(traceCode);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
    return { traceCode, events };
  };

  const expectEqualToFreshFold = async (traceCode: string) => {
    const events = await streamOf(traceCode);
    const folded = freshFold(events);
    expect(await rowsOf(traceCode)).toEqual(JSON.parse(JSON.stringify({ lot: lotRecord(folded), facts: eligibilityFacts(folded), version: events.length })));
    const history = await t.dataSource.query(`SELECT version FROM lot_history WHERE trace_code = $1 ORDER BY version`, [traceCode]);
    expect(history.map((h: { version: number }) => h.version)).toEqual(events.map((e) => e.version));
  };

  beforeAll(async () => {
    relayTopics = testKafkaSettings(1);
    kafka = testKafkaSettings(1);
    // The api's relay publishes elsewhere; the projector reads only what this test sends it.
    t = await createTestApp({ kafka: relayTopics });
    await t.app.get<KafkaRelayTransport>(TRANSPORT).ready();
    // Healing on its timer only when this test asks (healParked), so a parked lot can be looked at first.
    projector = await createTestProjector(t.databaseUrl, kafka, { PROJECTOR_HEAL_MS: '600000' }, projectorLogs.log);
    await producer.connect();
    n = await registerNetwork(t);
  });

  afterAll(async () => {
    await producer.disconnect();
    await projector?.close();
    await t?.close();
  });

  it('a lost event is fetched from the store when the next one arrives: the lot equals a fresh fold', async () => {
    const { traceCode, events } = await lotWithSixEvents();
    await publish(events, [3]);
    await waitFor('the lot healed up to version 6', async () => (await rowsOf(traceCode))?.version === 6 && (await parked(traceCode)) === null, 30_000, 100);
    await expectEqualToFreshFold(traceCode);
    // Read-your-writes knows the healed event.
    expect(await t.dataSource.query(`SELECT outcome FROM projector_inbox WHERE event_id = $1`, [events[2].eventId])).toEqual([{ outcome: 'HEALED' }]);
  });

  it('a lost last event parks the lot (readers told, readiness shows it) until the healer fetches it from the store', async () => {
    const { traceCode, events } = await lotWithSixEvents();
    await publish(events, [6]);
    await waitFor('the lot parked', async () => parked(traceCode), 30_000, 100);
    expect((await rowsOf(traceCode)).version).toBe(5);
    // While it lasts: no verdict from facts that miss an event; the lot view and the projector's health say so.
    const verdict = await t.http().get(`/api/lots/${traceCode}/sale-eligibility`).expect(503);
    expect(verdict.body).toMatchObject({ code: 'PROJECTION_STALE', details: { traceCode, reason: expect.stringMatching(/dead-lettered/) } });
    const lot = await t.http().get(`/api/lots/${traceCode}`).expect(200);
    expect(lot.body.projectionStale).toEqual({ reason: expect.stringMatching(/dead-lettered/), since: expect.any(String) });
    const health = await request(projector.app.getHttpServer()).get('/health').expect(200);
    expect(health.body.parkedLots.lots.map((l: { streamId: string }) => l.streamId)).toContain(lotStreamId(traceCode));
    // Readiness: degraded, still 200 (every other lot is projected; this one heals from the store), the lot named.
    const ready = await request(projector.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks.parkedLots).toMatchObject({ status: 'degraded', count: expect.any(Number) });
    expect(ready.body.checks.parkedLots.lots.map((l: { streamId: string }) => l.streamId)).toContain(lotStreamId(traceCode));
    expect(projectorLogs.errors().some((l) => /^dead-lettering/.test(String(l.msg)))).toBe(true);

    expect(await projector.service.inbox.healParked()).toMatchObject({ healed: expect.any(Number) });
    expect(await parked(traceCode)).toBeNull();
    await expectEqualToFreshFold(traceCode);
    await waitFor('the verdict back', async () => (await t.http().get(`/api/lots/${traceCode}/sale-eligibility`)).status === 200, 5000, 50);
    expect((await t.http().get(`/api/lots/${traceCode}`).expect(200)).body.projectionStale).toBeNull();
  });

  it('an event that cannot be applied parks its lot, and what comes after it is not folded on top', async () => {
    const { traceCode, events } = await lotWithSixEvents();
    await publish(events);
    await waitFor('six events applied', async () => (await rowsOf(traceCode))?.version === 6, 30_000, 100);
    // Two more events in the store, as a newer code version might write them: one of a type this code does not know, then an ordinary one.
    const raw = async (version: number, type: string, schemaVersion: number, data: unknown) => {
      const [row] = await t.dataSource.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, '{}'::jsonb, now(), decode(repeat('ab', 32), 'hex'))
         RETURNING global_position`,
        [lotStreamId(traceCode), version, type, schemaVersion, JSON.stringify(data)],
      );
      await t.dataSource.query(`UPDATE event_streams SET version = $2 WHERE stream_id = $1`, [lotStreamId(traceCode), version]);
      return Number(row.global_position);
    };
    await raw(7, 'LotTeleported', 9, { to: 'the moon' });
    await raw(8, events[5].type, events[5].schemaVersion, events[5].data);
    const [odd, after] = (await streamOf(traceCode)).slice(6);
    await publish([odd, after]);
    await waitFor('the lot parked', async () => parked(traceCode), 30_000, 100);
    expect((await rowsOf(traceCode)).version).toBe(6);
    // Healing tries the store and hits the same event: still parked, with the error, nothing folded past it.
    await projector.service.inbox.healParked();
    expect(await parked(traceCode)).toEqual({ reason: expect.stringMatching(/dead-lettered/), attempts: expect.any(Number), last_error: expect.stringMatching(/LotTeleported/) });
    expect((await rowsOf(traceCode)).version).toBe(6);
    const history = await t.dataSource.query(`SELECT max(version) AS v FROM lot_history WHERE trace_code = $1`, [traceCode]);
    expect(history[0].v).toBe(6);
    await t.http().get(`/api/lots/${traceCode}/sale-eligibility`).expect(503);
  });
});
