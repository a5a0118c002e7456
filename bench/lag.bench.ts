import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaRelayTransport, TRANSPORT } from '../apps/api/src/infrastructure.module';
import { createTestApp, TestApp } from '../test/support/test-app';
import { registerLot, registerNetwork, scanBody, uid } from '../test/support/fixtures';
import { createTestProjector, testKafkaSettings, TestProjector } from '../test/support/kafka';
import { waitFor } from '../test/support/wait-for';

/**
 * End-to-end lag of the read side at a steady trickle: from an event's commit
 * (recorded_at) to its row in the history read model (projected_at), measured
 * by PostgreSQL's one clock. Baseline: the embedded in-process path, measured
 * in the same run; the Kafka path is reported against it.
 */
const SCANS = Number(process.env.BENCH_SCANS || 300);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS || 50);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const trickle = async (t: TestApp): Promise<{ p50: number; p99: number; max: number; n: number }> => {
  const n = await registerNetwork(t);
  const lots = await Promise.all(Array.from({ length: 10 }, () => registerLot(t, n)));
  const since = await t.store.headPosition();
  let last = 0;
  for (let i = 0; i < SCANS; i++) {
    const started = Date.now();
    const res = await t.http().post('/api/scans').send(scanBody({ traceCode: lots[i % lots.length].traceCode, facilityId: n.port, action: 'SAMPLE', scanId: `L-${uid()}` }));
    if (res.status !== 201) throw new Error(`scan refused: ${res.status}`);
    last = res.body.position;
    await new Promise((r) => setTimeout(r, Math.max(0, INTERVAL_MS - (Date.now() - started))));
  }
  await waitFor('the read side to catch up', async () => (await t.dataSource.query(`SELECT 1 FROM lot_history WHERE position = $1`, [last])).length > 0, 120_000);
  const rows: { ms: number }[] = await t.dataSource.query(
    `SELECT extract(epoch FROM (projected_at - recorded_at)) * 1000 AS ms FROM lot_history WHERE position > $1 AND type = 'LotSampled'`,
    [since],
  );
  const sorted = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], n: sorted.length };
};

describe(`read-side lag at a trickle of one scan per ${INTERVAL_MS} ms (${SCANS} scans)`, () => {
  it('embedded (baseline) vs Kafka', async () => {
    const embedded = await createTestApp({ projectionPollMs: 500 });
    let base;
    try {
      base = await trickle(embedded);
    } finally {
      await embedded.close();
    }

    const kafka = testKafkaSettings(6);
    const api = await createTestApp({ kafka, projectionPollMs: 500 });
    let projector: TestProjector | null = null;
    let viaKafka;
    try {
      await api.app.get<KafkaRelayTransport>(TRANSPORT).ready();
      projector = await createTestProjector(api.databaseUrl, kafka);
      viaKafka = await trickle(api);
    } finally {
      await projector?.close();
      await api.close();
    }

    const fmt = (x: number) => x.toFixed(1).padStart(8);
    const report = [
      `read-side lag, ms (commit -> history row), ${SCANS} scans, one per ${INTERVAL_MS} ms`,
      `                 p50       p99       max     n`,
      `embedded   ${fmt(base.p50)}  ${fmt(base.p99)}  ${fmt(base.max)}  ${base.n}`,
      `kafka      ${fmt(viaKafka.p50)}  ${fmt(viaKafka.p99)}  ${fmt(viaKafka.max)}  ${viaKafka.n}`,
      `ratio kafka/embedded: p50 x${(viaKafka.p50 / base.p50).toFixed(2)}, p99 x${(viaKafka.p99 / base.p99).toFixed(2)}`,
    ].join('\n');
    console.log(report);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'lag.txt'), `${new Date().toISOString()}\n${report}\n`);
    expect(base.n).toBe(SCANS);
    expect(viaKafka.n).toBe(SCANS);
  });
});
