import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CheckpointedSubscription } from '@app/event-store';
import { fromLotEventMessage, HEADERS, headerString, KafkaSettings, RELAY_SUBSCRIPTION } from '@app/messaging';
import { KafkaRelayTransport, TRANSPORT } from '../../apps/api/src/infrastructure.module';
import { captureLogs } from '../support/logs';
import { createTestApp, TestApp } from '../support/test-app';
import request from 'supertest';
import { eligibility, reasonCodes, registerLot, registerNetwork, scanOk, walkToStore } from '../support/fixtures';
import { createTestProjector, rawKafka, readTopic, testKafkaSettings, TestProjector } from '../support/kafka';
import { describeNeeding } from '../support/needs';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);

const lotEventCount = async (t: TestApp): Promise<number> =>
  Number((await t.dataSource.query(`SELECT count(*) AS n FROM events WHERE stream_id LIKE 'lot-%'`))[0].n);
const inboxCount = async (t: TestApp): Promise<number> =>
  Number((await t.dataSource.query(`SELECT count(*) AS n FROM projector_inbox WHERE outcome = 'APPLIED'`))[0].n);

describeNeeding('kafka', __filename)('Kafka transport: relay -> real broker -> projector (integration)', () => {
  let kafka: KafkaSettings;
  let t: TestApp;
  let projector: TestProjector;
  let transport: KafkaRelayTransport;
  // The poison messages below are dead-lettered, which the projector logs as errors: kept here, not printed.
  const projectorLogs = captureLogs('projector');

  beforeAll(async () => {
    kafka = testKafkaSettings(3);
    t = await createTestApp({ kafka });
    transport = t.app.get<KafkaRelayTransport>(TRANSPORT);
    await transport.ready();
    projector = await createTestProjector(t.databaseUrl, kafka, {}, projectorLogs.log);
  });
  afterAll(async () => {
    await projector?.close();
    await t?.close();
  });

  it('a scan through the api reaches the sale-eligibility read model via Kafka, and only the projector writes it', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const last = await walkToStore(t, n, traceCode);
    expect(await eligibility(t, traceCode, last.position)).toMatchObject({ allowed: true, reasons: [] });
    // Embedded projections are off in this mode: their checkpoints never moved.
    expect((await t.projections.subscription('sale-eligibility').checkpoint()).globalPosition).toBe(0);
    expect(await inboxCount(t)).toBe(await lotEventCount(t));
    const health = await t.http().get('/api/health').expect(200);
    expect(health.body).toMatchObject({ mode: 'kafka', relay: { running: true, lastError: null } });
  });

  it('publishes plain JSON keyed by trace code with event id, type, schema version and global position headers', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const s = await scanOk(t, { traceCode, facilityId: n.port, action: 'SAMPLE', temperatureC: -20 });
    await eligibility(t, traceCode, s.position);
    const total = await lotEventCount(t);
    const messages = await readTopic(kafka.lotEventsTopic, total);
    const mine = messages.filter((m) => m.key?.toString() === traceCode);
    expect(mine).toHaveLength(2);
    const partitions = new Set(mine.map((m) => m.partition));
    expect(partitions.size).toBe(1);
    const sampled = mine.find((m) => headerString(m.headers, HEADERS.eventType) === 'LotSampled')!;
    const body = JSON.parse(sampled.value!.toString('utf8'));
    expect(body).toMatchObject({ streamId: `lot-${traceCode}`, type: 'LotSampled', schemaVersion: 1, version: 2, globalPosition: s.position });
    expect(body.data).toMatchObject({ facilityId: n.port, temperatureC: -20, scanId: expect.any(String) });
    // The chain hash travels with the event.
    const [stored] = await t.dataSource.query(
      `SELECT encode(e.hash, 'hex') AS hash, g.signing_key_id, encode(g.signature, 'hex') AS signature
         FROM events e JOIN event_signatures g USING (global_position) WHERE e.event_id = $1`,
      [body.eventId],
    );
    expect(body.hash).toBe(stored.hash);
    // So does its signature, and the id of the key (GET /api/audit/keys) that checks it.
    expect([body.signingKeyId, body.signature]).toEqual([t.keys.signer.signingKeyId, stored.signature]);
    expect(stored.signing_key_id).toBe(t.keys.signer.signingKeyId);
    expect(headerString(sampled.headers, HEADERS.eventId)).toBe(body.eventId);
    expect(headerString(sampled.headers, HEADERS.schemaVersion)).toBe('1');
    expect(headerString(sampled.headers, HEADERS.globalPosition)).toBe(String(s.position));
    expect(fromLotEventMessage(sampled)).toMatchObject({ eventId: body.eventId, globalPosition: s.position });
  });

  it("Kafka's own console consumer reads the topic as plain text JSON with key and headers", async () => {
    const libs = join(process.env.KAFKA_CACHE_DIR || join(homedir(), '.cache/coldtrace/kafka'), process.env.KAFKA_VERSION || '3.9.1', 'libs');
    const { stdout } = await run(
      'java',
      [
        '-cp',
        `${libs}/*`,
        'org.apache.kafka.tools.consumer.ConsoleConsumer',
        '--bootstrap-server',
        kafka.brokers[0],
        '--topic',
        kafka.lotEventsTopic,
        '--from-beginning',
        '--max-messages',
        '1',
        '--property',
        'print.key=true',
        '--property',
        'print.headers=true',
        '--property',
        'key.separator= | ',
        '--timeout-ms',
        '30000',
      ],
      { timeout: 60_000 },
    );
    const line = stdout.trim().split('\n')[0];
    const [headers, key, value] = line.split(' | ');
    expect(headers).toMatch(/event-id:[0-9a-f-]{36}/);
    expect(headers).toMatch(/event-type:Lot\w+/);
    expect(headers).toMatch(/global-position:\d+/);
    expect(key.length).toBeGreaterThan(0);
    expect(JSON.parse(value)).toMatchObject({ streamId: `lot-${key}` });
  });

  it('a relay killed between publish and checkpoint republishes; the duplicates change nothing downstream', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    await eligibility(t, traceCode, (await scanOk(t, { traceCode, facilityId: n.port, action: 'SAMPLE' })).position);
    const relay = transport.relay!;
    await relay.stop();

    // Events written while the relay is down wait in the store (the outbox).
    const writes = [];
    for (let i = 0; i < 5; i++) writes.push(await scanOk(t, { traceCode, facilityId: n.port, action: i % 2 ? 'DISINFECT' : 'SAMPLE' }));
    const duplicatesBefore = projector.service.consumer.stats.duplicates;

    // The relay dies after the broker acknowledged but before its checkpoint commits.
    const dying = new CheckpointedSubscription(RELAY_SUBSCRIPTION, t.store, t.dataSource, async (events) => {
      await relay.publish(events);
      throw new Error('killed between publish and checkpoint');
    });
    await expect(dying.processBatch()).rejects.toThrow('killed between publish and checkpoint');
    const last = writes[writes.length - 1].position;
    // The first copies arrive and are applied (read-your-writes waits for them).
    await t.http().get(`/api/lots/${traceCode}/history?atLeast=${last}`).expect(200);

    // Restarted, the relay publishes the same batch again from its old checkpoint.
    relay.start(t.store.appended, { pollIntervalMs: 50, retryDelayMs: 200 }, { error: () => undefined });
    await waitFor('the republished copies to arrive as duplicates', async () => projector.service.consumer.stats.duplicates - duplicatesBefore >= 5);

    const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${last}`).expect(200);
    expect(history.body.events.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The projector's history shows each event's chain hash, as the store holds it.
    const stream = await t.store.readStream(`lot-${traceCode}`);
    expect(history.body.events.map((e: { hash: string }) => e.hash)).toEqual(stream.events.map((e) => e.hash));
    const lot = await t.http().get(`/api/lots/${traceCode}`).expect(200);
    expect(lot.body.version).toBe(7);
    expect(await inboxCount(t)).toBe(await lotEventCount(t));
    const copies = (await readTopic(kafka.lotEventsTopic, (await lotEventCount(t)) + 5)).filter((m) => m.key?.toString() === traceCode);
    expect(copies.length).toBeGreaterThanOrEqual(7 + 5);
    expect(new Set(copies.map((m) => headerString(m.headers, HEADERS.eventId))).size).toBe(7);
  });

  it('readiness: the api names the broker and the relay, the projector the database, the broker and its parked lots', async () => {
    const api = await t.anonymous().get('/api/health/ready').expect(200);
    expect(api.body).toMatchObject({ status: 'ok', mode: 'kafka', checks: { database: { status: 'up' }, broker: { status: 'up' }, relay: { status: 'up', running: true } } });
    const ready = await request(projector.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' }, broker: { status: 'up', connected: true }, parkedLots: { status: 'up', count: 0 } } });
    await request(projector.app.getHttpServer()).get('/health/live').expect(200);
  });

  it('a poison message goes to the dead-letter topic with its error; consumption goes on', async () => {
    const producer = rawKafka().producer();
    await producer.connect();
    await producer.send({
      topic: kafka.lotEventsTopic,
      messages: [
        { key: 'POISON-1', value: 'this is not json' },
        {
          key: 'POISON-2',
          value: JSON.stringify({
            eventId: '00000000-0000-4000-8000-000000000001',
            streamId: 'lot-POISON-2',
            version: 1,
            type: 'LotTeleported',
            schemaVersion: 9,
            data: {},
            metadata: {},
            occurredAt: new Date().toISOString(),
            recordedAt: new Date().toISOString(),
            globalPosition: 999_999_999,
          }),
          headers: { [HEADERS.eventId]: '00000000-0000-4000-8000-000000000001', [HEADERS.globalPosition]: '999999999' },
        },
      ],
    });
    await producer.disconnect();
    const before = projector.service.consumer.stats.deadLettered;

    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const after = await scanOk(t, { traceCode, facilityId: n.port, action: 'SAMPLE' });
    expect(reasonCodes(await eligibility(t, traceCode, after.position))).toContain('CUSTOMS_DECLARATION_MISSING');

    await waitFor('both poison messages dead-lettered', async () => projector.service.consumer.stats.deadLettered - before >= 2);
    const dead = await readTopic(kafka.deadLetterTopic, 2);
    const errors = dead.map((m) => headerString(m.headers, 'dlq-error'));
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/not JSON/), expect.stringMatching(/LotTeleported/)]));
    expect(dead.map((m) => m.key?.toString()).sort()).toEqual(['POISON-1', 'POISON-2']);
    for (const m of dead) expect(headerString(m.headers, 'dlq-source-topic')).toBe(kafka.lotEventsTopic);
    const health = await request(projector.app.getHttpServer()).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', broker: { connected: true }, deadLettered: expect.any(Number) });
    expect(health.body.deadLettered).toBeGreaterThanOrEqual(2);
    expect(projectorLogs.errors().map((l) => l.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^dead-lettering .*not JSON/), expect.stringMatching(/^dead-lettering .*LotTeleported/)]),
    );
    expect(await t.dataSource.query(`SELECT outcome FROM projector_inbox WHERE event_id = '00000000-0000-4000-8000-000000000001'`)).toEqual([
      { outcome: 'DEAD_LETTERED' },
    ]);
  });
});
