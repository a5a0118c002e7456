import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../test/support/test-app';
import { registerLot, registerNetwork, uid } from '../test/support/fixtures';
import { waitFor } from '../test/support/wait-for';
import { pool } from './support/http';
import { traceAll } from './support/reads';
import { median, timed } from './support/stats';

/**
 * A regulator's recall of an import lot reaching every descendant, and a
 * forward trace of it, over a genealogy of 1 -> 10 -> 100 -> 10,000 lots
 * (10,111 lots), in embedded mode. Baseline, measured in the same run:
 * reading the same rows straight from PostgreSQL (the recall's streams from
 * `events`; the trace's lots from `lot_summary` plus `lot_links`).
 */
const SHAPE = (process.env.BENCH_RECALL_SHAPE || '10,10,100').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const TRACE_RUNS = Number(process.env.BENCH_TRACE_RUNS || 5);
const BUILD_CONCURRENCY = 4;
/** 1 + 10 + 100 for the default shape. */
const splitCount = SHAPE.reduce((acc, _f, i) => acc + SHAPE.slice(0, i).reduce((a, b) => a * b, 1), 0);
const LEAF_KG = 10;

interface Sample {
  label: string;
  ms: number[];
}

/**
 * Every in-process projection has handled the events at `positions` (so the next timing runs on a quiet
 * system). Concurrent commands commit out of position order: the highest position alone says nothing of the others.
 */
const projectionsReach = async (t: TestApp, positions: readonly number[], timeoutMs: number): Promise<void> => {
  await waitFor(
    `every projection to reach ${positions.length} positions (up to ${Math.max(...positions)})`,
    async () => {
      for (const p of t.projections.projections) {
        for (const position of positions) if (!(await t.projections.subscription(p.name).hasProcessed(position))) return false;
      }
      return true;
    },
    timeoutMs,
    50,
  );
};

/** Builds the genealogy through the real split command (HTTP), level by level. */
const buildGenealogy = async (t: TestApp): Promise<{ root: string; lots: string[]; positions: number[] }> => {
  const n = await registerNetwork(t);
  const leaves = SHAPE.reduce((a, b) => a * b, 1);
  const root = `RB-${uid()}`;
  const positions = [(await registerLot(t, n, root, leaves * LEAF_KG, 'KG')).position];
  const lots = [root];
  let level: { traceCode: string; quantity: number }[] = [{ traceCode: root, quantity: leaves * LEAF_KG }];
  for (const fanout of SHAPE) {
    const next = await pool(level, BUILD_CONCURRENCY, async (parent) => {
      const children = Array.from({ length: fanout }, (_, i) => ({ traceCode: `${parent.traceCode}.${i}`, quantity: parent.quantity / fanout }));
      const res = await t.http().post(`/api/lots/${parent.traceCode}/splits`).send({ splitId: `S-${uid()}`, children });
      if (res.status !== 201) throw new Error(`split of ${parent.traceCode} failed: ${res.status} ${JSON.stringify(res.body)}`);
      positions.push(res.body.position as number);
      return children;
    });
    level = next.flat();
    lots.push(...level.map((c) => c.traceCode));
  }
  return { root, lots, positions };
};

describe(`recall and forward trace over a ${SHAPE.join(' -> ')} genealogy (embedded mode)`, () => {
  it(
    'recall and trace vs reading the same rows from PostgreSQL',
    async () => {
      const t = await createTestApp({ readWaitTimeoutMs: 300_000 });
      const report: string[] = [];
      try {
        const built = await timed(() => buildGenealogy(t));
        const { root, lots, positions } = built.value;
        const streamIds = lots.map((tc) => `lot-${tc}`);
        // Let every projection finish the build before timing anything, then read-your-writes on it.
        const projectedBuild = await timed(() => projectionsReach(t, positions, 600_000));
        const buildAndProject = built.ms + projectedBuild.ms;
        // The trace comes a page at a time: every page of it.
        const sanity = await traceAll((p) => t.http().get(p), root, { atLeast: Math.max(...positions) });
        expect(sanity.pending).toEqual([]);
        expect(sanity.lots).toHaveLength(lots.length);

        const recall: Sample = { label: `recall   POST /api/lots/:root/recall`, ms: [] };
        const recallBase: Sample = { label: `baseline SELECT events WHERE stream_id = ANY`, ms: [] };
        const trace: Sample = { label: `trace    GET /api/lots/:root/trace, every page`, ms: [] };
        const traceBase: Sample = { label: `baseline SELECT lot_summary = ANY + lot_links`, ms: [] };
        const catchUp: number[] = [];
        const eventsBefore: number[] = [];
        let eventsRead = 0;

        for (let r = 0; r < RUNS; r++) {
          // The baseline reads exactly what this recall is about to read: every stream it reaches, as it is now.
          for (let i = 0; i < 3; i++) {
            const b = await timed(() => t.dataSource.query(`SELECT * FROM events WHERE stream_id = ANY($1)`, [streamIds]) as Promise<unknown[]>);
            recallBase.ms.push(b.ms);
            eventsRead = b.value.length;
          }
          eventsBefore.push(Number((await t.dataSource.query(`SELECT count(*) AS n FROM events`))[0].n));
          const recallId = `BENCH-${r}-${uid()}`;
          const res = await timed(() => t.http().post(`/api/lots/${root}/recall`).send({ reason: 'bench: contaminated import lot', recallId }));
          if (res.value.status !== 201) {
            throw new Error(`recall of ${lots.length} lots failed: HTTP ${res.value.status} after ${res.ms.toFixed(0)} ms: ${JSON.stringify(res.value.body)}`);
          }
          expect(res.value.body.lotsAffected).toBe(lots.length);
          recall.ms.push(res.ms);
          const written = Number(
            (await t.dataSource.query(`SELECT count(*) AS n FROM events WHERE type = 'LotRecalled' AND data->>'recallId' = $1`, [recallId]))[0].n,
          );
          expect(written).toBe(lots.length);
          const projected = await timed(() => projectionsReach(t, [res.value.body.position as number], 600_000));
          catchUp.push(projected.ms);
        }

        for (let r = 0; r < TRACE_RUNS; r++) {
          const res = await timed(() => traceAll((p) => t.http().get(p), root));
          expect(res.value.lots).toHaveLength(lots.length);
          expect(res.value.links).toHaveLength(lots.length - 1);
          trace.ms.push(res.ms);
          const b = await timed(async () => {
            const rows: unknown[] = await t.dataSource.query(`SELECT * FROM lot_summary WHERE trace_code = ANY($1)`, [lots]);
            const links: unknown[] = await t.dataSource.query(`SELECT * FROM lot_links`);
            return rows.length + links.length;
          });
          expect(b.value).toBe(lots.length + lots.length - 1);
          traceBase.ms.push(b.ms);
        }

        const fmt = (x: number) => x.toFixed(1).padStart(9);
        const row = (s: Sample) => `${s.label.padEnd(52)}${fmt(median(s.ms))}${fmt(Math.min(...s.ms))}${fmt(Math.max(...s.ms))}${String(s.ms.length).padStart(6)}`;
        report.push(
          `recall and forward trace over ${lots.length} lots (${SHAPE.join(' -> ')}), embedded mode`,
          `build (${splitCount} splits over HTTP) and its projection: ${(buildAndProject / 1000).toFixed(1)} s`,
          `${''.padEnd(52)}   median       min       max  runs   (ms)`,
          row(recall),
          row(recallBase),
          row(trace),
          row(traceBase),
          `ratio recall/baseline x${(median(recall.ms) / median(recallBase.ms)).toFixed(1)}, trace/baseline x${(median(trace.ms) / median(traceBase.ms)).toFixed(1)}`,
          `recall: ${lots.length} LotRecalled in one transaction; baseline read ${eventsRead} events (last run)`,
          `recall per run: ${recall.ms.map((ms, i) => `${ms.toFixed(0)} ms (${eventsBefore[i]} events in the store before)`).join(', ')}`,
          `in-process projections caught up after each recall in ${catchUp.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s (not in the ratios)`,
        );
      } finally {
        await t.close();
      }
      const text = report.join('\n');
      console.log(text);
      mkdirSync(join(__dirname, 'results'), { recursive: true });
      writeFileSync(join(__dirname, 'results', 'recall.txt'), `${new Date().toISOString()}\n${text}\n`);
    },
    3_600_000,
  );
});
