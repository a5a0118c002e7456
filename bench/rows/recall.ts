import { buildGenealogy } from '../support/genealogy';
import { Eligibility, minutesAgo, setUpNetwork } from '../support/network';
import { probeAtLeast, reach, sweep, sweepUntil } from '../support/reads';
import { CONNECTIONS, RECALL_RUNS, RECALL_SHAPE } from '../support/scale';
import { int, median, mib, seconds, timed } from '../support/stats';
import { BenchRun } from './context';

interface DocumentAnswer {
  position: number;
  recallId?: string;
  lotsRecalled?: number;
}

/**
 * Row 4: a positive nucleic-acid test on an import lot whose family is
 * 1 -> 100 -> 10,000 lots (10,101), all at the retail store: the command's
 * time, then how long after it every lot's eligibility, read by the till with
 * no ?atLeast, shows LOT_RECALLED. Each run is another positive test of the
 * same lot (each recalls the whole family anew, under its own recall id).
 */
export const recallRows = async (run: BenchRun): Promise<void> => {
  const api = await run.api(await run.database());
  try {
    const { network, actors } = await setUpNetwork(api.url, run.adminToken);
    const built = await timed(() => buildGenealogy(actors, network, RECALL_SHAPE));
    const g = built.value;
    // Read-your-writes on every building command, then every lot readable by the till (and the read path warm).
    await reach(actors, g.root, g.positions, 'sale-eligibility');
    const before = await sweep(actors, g.lots, () => true);
    expect(before.notReadable).toEqual([]);
    run.table.note(
      `recall: family of ${int(g.lots.length)} lots built through ${g.positions.length - 2} splits over HTTP in ${seconds(built.ms)}; ` +
        `before the test ${int(before.allowed)} lots were saleable; one sweep of every lot's eligibility took ${seconds(before.ms)} ` +
        `(${int(g.lots.length / (before.ms / 1000))} req/s, ${CONNECTIONS} connections)`,
    );

    const commands: number[] = [];
    const visible: number[] = [];
    const probes: number[] = [];
    const peaks: (number | null)[] = [];
    const sweepsNeeded: number[] = [];
    const sweepMs: number[] = [];
    for (let r = 0; r < RECALL_RUNS; r++) {
      api.resetPeakRss();
      const cmd = await timed(() =>
        actors.inspector.post<DocumentAnswer>(`/api/lots/${g.root}/documents`, {
          type: 'NUCLEIC_ACID_TEST',
          number: `${g.root}.POSITIVE.${r}`,
          issuer: 'Port health lab',
          issuedAt: minutesAgo(0.1),
          result: 'POSITIVE',
        }),
      );
      const returned = performance.now();
      if (cmd.value.status !== 201) throw new Error(`the positive test answered ${cmd.value.status} after ${seconds(cmd.ms)}: ${JSON.stringify(cmd.value.body).slice(0, 500)}`);
      expect(cmd.value.body.lotsRecalled).toBe(g.lots.length);
      commands.push(cmd.ms);
      const recallId = cmd.value.body.recallId!;
      const shows = (e: Eligibility) => {
        const recalled = e.reasons.filter((x) => x.code === 'LOT_RECALLED');
        return recalled.some((x) => JSON.stringify(x).includes(recallId)) || recalled.length >= r + 1;
      };
      // When the read side has the whole recall: a till's read with ?atLeast=<the test's position> (it waits
      // server-side, no polling load on the api while the projections catch up). Then every lot is read, with
      // no ?atLeast, as any till would: a lot that does not show the recall yet is read again until it does.
      const probe = await probeAtLeast(actors, g.lots[g.lots.length - 1], cmd.value.body.position).then(() => performance.now() - returned);
      const all = await sweepUntil(actors, g.lots, shows, returned, 300_000);
      probes.push(probe);
      visible.push(Math.max(probe, all.lateMs));
      sweepsNeeded.push(all.sweeps);
      sweepMs.push(all.firstSweepMs);
      peaks.push(api.peakRss());
      // The other read models too, untimed, so the next run starts on a quiet system.
      await reach(actors, g.root, [cmd.value.body.position], 'lot', 'history');
    }
    const peak = Math.max(...peaks.map((p) => p ?? 0)) || null;
    const command = median(commands);
    const shown = median(visible);
    run.table.add(
      {
        key: '4a',
        path: `positive test -> ${int(g.lots.length)}-lot family: command`,
        measured: { value: seconds(command), peak: mib(peak) },
        baseline: { value: '-' },
        ratio: '-',
        target: '< 1 s',
        met: command < 1000,
      },
      {
        key: '4b',
        path: `then every lot's eligibility shows LOT_RECALLED`,
        measured: { value: `${seconds(shown)} later` },
        baseline: { value: '-' },
        ratio: '-',
        target: '< 2 s',
        met: shown < 2000,
      },
    );
    run.table.note(
      `recall: command ${commands.map((x) => seconds(x)).join(', ')}; the read side had all of it (a till's ?atLeast=<its position> read answered) ` +
        `${probes.map((x) => seconds(x)).join(', ')} after the command returned; then every lot read by the till (no ?atLeast, ${CONNECTIONS} connections) ` +
        `showed LOT_RECALLED: ${sweepsNeeded.map((n, i) => (n === 1 ? `all on the first sweep (${seconds(sweepMs[i])})` : `after ${n} sweeps, the last at ${seconds(visible[i])}`)).join('; ')}`,
    );
  } finally {
    await api.stop();
  }
};
