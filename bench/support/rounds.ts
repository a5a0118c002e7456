import { Load } from './load';
import { Service } from './processes';
import { int, median } from './stats';
import { ROUNDS, SECONDS, WARMUP } from './scale';

/** One side of an A/B comparison: whose peak RSS is reported, and one load of it. */
export interface Side {
  /** Reset before its warm-up, read after its last round. */
  service: Service;
  run: (seconds: number, tag: string) => Promise<Load>;
}

export interface Measured {
  loads: Load[];
  warmup: Load;
  rps: number;
  p99: number;
  peak: number | null;
}

/**
 * Warm-up of each side, then A B C A B C ...; medians of the measured runs, so
 * drift on a shared machine hits every side alike. One side alone when the
 * other is not served.
 */
export const alternate = async (...sides: Side[]): Promise<Measured[]> => {
  for (const s of sides) s.service.resetPeakRss();
  const warm: Load[] = [];
  for (const s of sides) warm.push(await s.run(WARMUP, 'w'));
  const loads: Load[][] = sides.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, s] of sides.entries()) loads[i].push(await s.run(SECONDS, `r${r}`));
  }
  return sides.map((s, i) => ({
    loads: loads[i],
    warmup: warm[i],
    rps: median(loads[i].map((l) => l.rps)),
    p99: median(loads[i].map((l) => l.p99)),
    peak: s.service.peakRss(),
  }));
};

export const describeRuns = (label: string, m: Measured, unit = 'req/s', perRequest = 1): string =>
  `${label}: ${m.loads.map((l) => int(l.rps * perRequest)).join(', ')} ${unit} (warm-up ${int(m.warmup.rps * perRequest)}); ` +
  `p99 ${m.loads.map((l) => l.p99).join(', ')} ms; p50 ${median(m.loads.map((l) => l.p50))} ms`;

/** Every run of a side, warm-up included. */
export const allRuns = (m: Measured): Load[] => [m.warmup, ...m.loads];

/** What a run got wrong: socket errors, timeouts, anything but 2xx. */
export const faultsOf = (l: Load) => ({ errors: l.errors, timeouts: l.timeouts, non2xx: l.non2xx, statusCodes: l.non2xx ? l.statusCodes : {} });
export const NO_FAULTS = { errors: 0, timeouts: 0, non2xx: 0, statusCodes: {} };
/** For `expect(faults(m)).toEqual(clean(m))`: every run free of faults. */
export const faults = (m: Measured) => allRuns(m).map(faultsOf);
export const clean = (m: Measured) => allRuns(m).map(() => NO_FAULTS);
