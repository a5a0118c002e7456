/**
 * The bench's knobs, in one place. BENCH_SCALE=small shrinks every row for
 * development (fewer events and lots, shorter runs: minutes, not the full
 * run's half hour); each knob can still be set on its own (a BENCH_* variable
 * overrides the scale's value). The full scale is what issue 17's table states.
 */
export const SMALL = process.env.BENCH_SCALE === 'small';

const env = (name: string, full: number, small: number): number => Number(process.env[name] || (SMALL ? small : full));
const list = (name: string, full: string, small: string): number[] => (process.env[name] || (SMALL ? small : full)).split(',').map(Number);

export const ROWS = ['read', 'scan', 'batch', 'recall', 'rebuild', 'growth', 'memory', 'temperature'] as const;
export type RowName = (typeof ROWS)[number];
/** BENCH_ONLY=read,scan,... runs some rows (default: all). */
export const ONLY = new Set((process.env.BENCH_ONLY || ROWS.join(',')).split(',').map((s) => s.trim()));
export const runs = (row: RowName): boolean => ONLY.has(row);

/** Per measured run of a load, and the warm-up of each side before the first. */
export const SECONDS = env('BENCH_SECONDS', 5, 2);
export const WARMUP = env('BENCH_WARMUP_SECONDS', 3, 1);
/** Measured runs per side, alternating A B A B ...: the medians are reported. */
export const ROUNDS = env('BENCH_ROUNDS', 3, 3);
export const CONNECTIONS = 32;
/** Lots the single-scan and batch rows scan (each set at the central warehouse). */
export const SCAN_LOTS = env('BENCH_SCAN_LOTS', 200, 40);
export const BATCH_SIZE = env('BENCH_BATCH_SIZE', 1000, 200);
export const BATCH_CONNECTIONS = env('BENCH_BATCH_CONNECTIONS', 4, 2);

/** The positive test's family: 1 -> 100 -> 10,000 (10,101 lots). */
export const RECALL_SHAPE = list('BENCH_RECALL_SHAPE', '100,100', '10,10');
export const RECALL_RUNS = env('BENCH_RECALL_RUNS', 3, 2);

/** Events in the grown store: the rebuild's log and the growth rows' store. */
export const GROWN_EVENTS = env('BENCH_REBUILD_EVENTS', 1_000_000, 50_000);
/** Events of the template lot every copy repeats. */
export const EVENTS_PER_LOT = env('BENCH_REBUILD_EVENTS_PER_LOT', 50, 50);
/** The SELECT baseline's page: the rebuild's own (libs/read-models/src/rebuild/online-rebuild.ts reads 2,000 a page). */
export const REBUILD_PAGE = env('BENCH_REBUILD_PAGE', 2_000, 2_000);
/** The rebuild is killed after this (0: six times the baseline's time, at least 60 s); its row then says how far it got. */
export const REBUILD_BUDGET_S = env('BENCH_REBUILD_BUDGET_S', 0, 0);
/** Clients reading eligibility from the api while the rebuild runs (and while its baseline runs). */
export const REBUILD_READERS = env('BENCH_REBUILD_READERS', 4, 4);
/** Processes generating the grown store's events (each computes hash chains while PostgreSQL copies the other's rows). */
export const BUILD_WORKERS = env('BENCH_BUILD_WORKERS', 2, 2);
/** BENCH_HASH_COPIES=1: each copied lot gets its own valid hash chain (~55 us an event more); else the template's hashes. */
export const HASH_COPIES = process.env.BENCH_HASH_COPIES === '1';
/** Lots walked to the store before the copies: what the till reads during the rebuild. */
export const REBUILD_READ_LOTS = env('BENCH_REBUILD_READ_LOTS', 20, 8);

/** The forward trace of the growth row: 1 -> 10 -> 1,000 (1,011 lots). */
export const TRACE_SHAPE = list('BENCH_TRACE_SHAPE', '10,100', '10,10');
export const TRACE_RUNS = env('BENCH_TRACE_RUNS', 20, 6);

/** Issue 17's memory row: two identical loads of 40 tills and 10 scanners. */
export const MEMORY_SECONDS = env('BENCH_MEMORY_SECONDS', 60, 10);
export const MEMORY_READ_LOTS = env('BENCH_MEMORY_READ_LOTS', 500, 40);
export const MEMORY_SCAN_LOTS = env('BENCH_MEMORY_SCAN_LOTS', 200, 20);

/** The api's pool (libs/platform data-source-options): the insert baseline gets as many connections. */
export const API_POOL = 20;

/** Issue 21's temperature rows: lots uploaded to once each (split over ROUNDS runs), readings an upload, connections. */
export const TEMP_LOTS = env('BENCH_TEMP_LOTS', 1000, 100);
export const TEMP_READINGS = env('BENCH_TEMP_READINGS', 1000, 1000);
export const TEMP_CONNECTIONS = env('BENCH_TEMP_CONNECTIONS', 4, 4);
/** Lots more for each side's warm-up (not measured). */
export const TEMP_WARMUP_LOTS = env('BENCH_TEMP_WARMUP_LOTS', 40, 20);
/** The read row: a lot's log of this many readings (one upload, the most a request takes), read this many times. */
export const TEMP_READ_LOG = env('BENCH_TEMP_READ_LOG', 10_000, 10_000);
export const TEMP_READ_REQUESTS = env('BENCH_TEMP_READ_REQUESTS', 300, 100);
