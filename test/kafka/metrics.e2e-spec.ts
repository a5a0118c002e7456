import request from 'supertest';
import type { App } from 'supertest/types';
import { HEADERS, KafkaSettings } from '@app/messaging';
import { KafkaRelayTransport, TRANSPORT } from '../../apps/api/src/infrastructure.module';
import { captureLogs } from '../support/logs';
import { createTestApp, TestApp } from '../support/test-app';
import { registerLot, registerNetwork, scanOk, uid } from '../support/fixtures';
import { createTestProjector, rawKafka, testKafkaSettings, TestProjector } from '../support/kafka';
import { describeNeeding } from '../support/needs';
import { labelsOf, scrape, valueOf } from '../support/metrics';
import { waitFor } from '../support/wait-for';

/** Kafka mode: the relay's lag on the api's /metrics; dead letters, parked lots and consumer lag on the projector's. */
describeNeeding('kafka', __filename)('GET /metrics in Kafka mode (integration, real broker)', () => {
  const metricsToken = `projector-metrics-${uid()}-0123456789`;
  let kafka: KafkaSettings;
  let t: TestApp;
  let projector: TestProjector;
  let projectorServer: App;
  const producer = rawKafka().producer();
  // The poison message below is dead-lettered, which the projector logs as an error: kept here, not printed.
  const projectorLogs = captureLogs('projector');

  const projectorScrape = () => scrape(projectorServer, metricsToken);

  beforeAll(async () => {
    kafka = testKafkaSettings(3);
    t = await createTestApp({ kafka });
    await t.app.get<KafkaRelayTransport>(TRANSPORT).ready();
    // Parked lots stay parked until the test heals them, so the gauge can be read while it lasts.
    projector = await createTestProjector(t.databaseUrl, kafka, { METRICS_TOKEN: metricsToken, PROJECTOR_HEAL_MS: '600000' }, projectorLogs.log);
    projectorServer = projector.app.getHttpServer() as App;
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await projector?.close();
    await t?.close();
  });

  it("the projector's /metrics asks for METRICS_TOKEN", async () => {
    const res = await request(projectorServer).get('/metrics').expect(401);
    expect(res.body).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    await request(projectorServer).get('/metrics').set('authorization', 'Bearer wrong-token-0123456789').expect(401);
    const s = await projectorScrape();
    expect(valueOf(s, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(s, 'coldtrace_projector_consumer_connected')).toBe(1);
  });

  it('events flow: the relay and the consumer catch up, with lag per partition', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const { position } = await scanOk(t, { traceCode, facilityId: n.port, action: 'DISINFECT' });

    // The api: the relay's position and lag (no in-process projections in Kafka mode).
    const api = await waitFor(
      'the relay caught up',
      async () => {
        const s = await scrape(t.app.getHttpServer() as App);
        return valueOf(s, 'coldtrace_relay_position', { relay: 'kafka' }) >= position && valueOf(s, 'coldtrace_relay_lag_events', { relay: 'kafka' }) === 0 ? s : null;
      },
      30_000,
      100,
    );
    expect(valueOf(api, 'coldtrace_relay_lag_seconds', { relay: 'kafka' })).toBe(0);
    expect(labelsOf(api, 'coldtrace_projection_position')).toEqual([]);

    // The projector: applied, and the group's committed offsets at the end of every partition.
    const s = await waitFor(
      'the projector consumed every message',
      async () => {
        const s = await projectorScrape();
        const partitions = labelsOf(s, 'coldtrace_kafka_consumer_lag_messages');
        return partitions.length === 3 && valueOf(s, 'coldtrace_kafka_consumer_lag_messages') === 0 && valueOf(s, 'coldtrace_projector_events_applied_total') > 0 ? s : null;
      },
      30_000,
      200,
    );
    expect(labelsOf(s, 'coldtrace_kafka_consumer_lag_messages').sort((a, b) => a.partition.localeCompare(b.partition))).toEqual(
      ['0', '1', '2'].map((partition) => ({ topic: kafka.lotEventsTopic, partition })),
    );
  });

  it('a poison message moves the dead-letter counter and parks its lot until healed', async () => {
    const before = await projectorScrape();
    const traceCode = `POISON-${uid()}`;
    await producer.send({ topic: kafka.lotEventsTopic, messages: [{ key: traceCode, value: 'not an event', headers: { [HEADERS.traceCode]: traceCode } }] });

    const after = await waitFor(
      'the message dead-lettered',
      async () => {
        const s = await projectorScrape();
        return valueOf(s, 'coldtrace_projector_dead_lettered_total') > valueOf(before, 'coldtrace_projector_dead_lettered_total') ? s : null;
      },
      30_000,
      100,
    );
    expect(valueOf(after, 'coldtrace_projector_dead_lettered_total') - valueOf(before, 'coldtrace_projector_dead_lettered_total')).toBe(1);
    // The gauge is read at most once a second: wait for a fresh read.
    await waitFor('the lot parked', async () => valueOf(await projectorScrape(), 'coldtrace_projector_parked_lots') === 1, 10_000, 200);

    await projector.service.inbox.healParked();
    await waitFor('no lot parked', async () => valueOf(await projectorScrape(), 'coldtrace_projector_parked_lots') === 0, 10_000, 200);
  });
});
