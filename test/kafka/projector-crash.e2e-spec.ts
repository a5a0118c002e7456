import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { eligibilityFacts, evolveLot, initialLotState, toLotEvent } from '@app/domain';
import { KafkaSettings } from '@app/messaging';
import { KafkaRelayTransport, TRANSPORT } from '../../apps/api/src/infrastructure.module';
import { createTestApp, TestApp } from '../support/test-app';
import { registerLot, registerNetwork, scanBody, uid } from '../support/fixtures';
import { testKafkaSettings } from '../support/kafka';
import { describeNeeding } from '../support/needs';
import { waitFor } from '../support/wait-for';

const PROJECTOR = join(__dirname, '..', '..', 'dist', 'apps', 'projector', 'src', 'main.js');

/** apps/projector as a real OS process, built by the e2e global setup. */
const startProjector = (databaseUrl: string, kafka: KafkaSettings, port: number): ChildProcess =>
  spawn(process.execPath, [PROJECTOR], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_LOT_EVENTS_TOPIC: kafka.lotEventsTopic,
      KAFKA_DEAD_LETTER_TOPIC: kafka.deadLetterTopic,
      KAFKA_RECALLS_TOPIC: kafka.recallsTopic,
      KAFKA_PARTITIONS: String(kafka.partitions),
      KAFKA_CONSUMER_GROUP: kafka.consumerGroup,
      PROJECTOR_PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

const count = async (t: TestApp, sql: string): Promise<number> => Number((await t.dataSource.query(sql))[0].n);

describeNeeding('kafka', __filename)('projector killed hard mid-stream (integration: child process, real broker, real PostgreSQL)', () => {
  let t: TestApp;
  let kafka: KafkaSettings;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    kafka = testKafkaSettings(4);
    t = await createTestApp({ kafka });
    await t.app.get<KafkaRelayTransport>(TRANSPORT).ready();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await t?.close();
  });

  it('applies every event exactly once across a SIGKILL and a restart, none missing', async () => {
    const n = await registerNetwork(t);
    const lots = await Promise.all(Array.from({ length: 8 }, () => registerLot(t, n)));
    const first = startProjector(t.databaseUrl, kafka, 0);
    children.push(first);

    // A steady stream of scans; the projector is killed while it is consuming them.
    let killedAt = -1;
    for (let i = 0; i < 240; i++) {
      const lot = lots[i % lots.length];
      const res = await t.http().post('/api/scans').send(scanBody({ traceCode: lot.traceCode, facilityId: n.port, action: i % 2 ? 'SAMPLE' : 'DISINFECT', scanId: `K-${uid()}` }));
      expect(res.status).toBe(201);
      if (killedAt < 0 && (await count(t, `SELECT count(*) AS n FROM projector_inbox`)) > 40) {
        first.kill('SIGKILL');
        killedAt = i;
      }
    }
    expect(killedAt).toBeGreaterThan(0);
    expect(await exited(first)).toEqual({ code: null, signal: 'SIGKILL' });
    const appliedWhenKilled = await count(t, `SELECT count(*) AS n FROM projector_inbox`);
    const total = await count(t, `SELECT count(*) AS n FROM events WHERE stream_id LIKE 'lot-%'`);
    expect(appliedWhenKilled).toBeLessThan(total);

    const second = startProjector(t.databaseUrl, kafka, 0);
    children.push(second);
    await waitFor('the restarted projector to catch up', async () => (await count(t, `SELECT count(*) AS n FROM projector_inbox`)) === total, 90_000, 200);

    // Exactly once: one inbox row and one history row per event, and every lot's read model equals a fresh fold of its stream.
    expect(await count(t, `SELECT count(*) AS n FROM lot_history`)).toBe(total);
    for (const lot of lots) {
      const stream = await t.store.readStream(`lot-${lot.traceCode}`);
      const folded = stream.events.reduce((s, e) => evolveLot(s, toLotEvent(e.type, e.schemaVersion, e.data)), initialLotState());
      const [row] = await t.dataSource.query(`SELECT facts, version FROM sale_eligibility WHERE trace_code = $1`, [lot.traceCode]);
      expect(row.version).toBe(stream.version);
      expect(row.facts).toEqual(JSON.parse(JSON.stringify(eligibilityFacts(folded))));
      const history = await t.dataSource.query(`SELECT version FROM lot_history WHERE trace_code = $1 ORDER BY version`, [lot.traceCode]);
      expect(history.map((h: { version: number }) => h.version)).toEqual(stream.events.map((e) => e.version));
    }

    // Graceful stop on SIGTERM: exits 0 with its offsets committed.
    second.kill('SIGTERM');
    expect(await exited(second)).toEqual({ code: 0, signal: null });
  });
});
