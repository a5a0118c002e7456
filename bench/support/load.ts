import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv, ROOT } from './processes';

const run = promisify(execFile);
const AUTOCANNON = join(ROOT, 'node_modules', '.bin', 'autocannon');
const LOAD_SCRIPT = join(__dirname, 'generate-load.js');

/** One autocannon run, as read from its JSON result. */
export interface Load {
  /** Requests per second (autocannon's average over its one-second samples). */
  rps: number;
  p99: number;
  p50: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** How long it ran (s); for a fixed amount of work, until its last answer. */
  seconds: number;
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number; p50: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
  /** generate-load.js with `amount`: from the start to the last answer (ms). */
  answeredInMs?: number;
}

const toLoad = (stdout: string): Load => {
  const r = JSON.parse(stdout) as AutocannonResult;
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    p50: r.latency.p50,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
    seconds: r.answeredInMs !== undefined ? r.answeredInMs / 1000 : r.duration,
  };
};

/** The autocannon CLI in its own process: one URL, the same request every time. */
export const cli = async (url: string, o: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<Load> => {
  const headers = Object.entries(o.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  const { stdout } = await run(AUTOCANNON, ['-c', String(o.connections), '-d', String(o.seconds), '-j', ...headers, url], {
    env: childEnv({}),
    maxBuffer: 64 * 1024 * 1024,
  });
  return toLoad(stdout);
};

/** Reads: GET `pathTemplate` with `:traceCode` replaced, the lots taken in turn. */
export interface ReadGenerator {
  kind: 'read';
  pathTemplate: string;
  traceCodes: string[];
}

/** A logger's upload to each lot once, in turn: `readings` readings a minute apart, the last at `endAt` (epoch ms). */
export interface TemperatureGenerator {
  kind: 'temperatures';
  pathTemplate: string;
  traceCodes: string[];
  deviceId: string;
  readings: number;
  endAt: number;
}

export interface ScanGenerator {
  kind: 'scan' | 'batch';
  /** Scans per request ('batch'). */
  size?: number;
  /** Every field of a scan but scanId, traceCode and action. */
  template: Record<string, unknown>;
  traceCodes: string[];
  actions: string[];
  /** Scan ids are `<idPrefix>.<n>`: unique per run. */
  idPrefix: string;
}

/** bench/support/generate-load.js (autocannon's API) in its own process: a fresh body per request. */
export const generated = async (
  url: string,
  path: string,
  o: {
    connections: number;
    seconds: number;
    timeoutSeconds?: number;
    /** Exactly this many requests, however long they take (`seconds` is then ignored). */
    amount?: number;
    headers?: Record<string, string>;
    generator: ScanGenerator | ReadGenerator | TemperatureGenerator;
    /** Ends the load early (SIGTERM: autocannon stops and reports what it did so far) once this settles. */
    stopWhen?: Promise<unknown>;
  },
): Promise<Load> => {
  const dir = mkdtempSync(join(tmpdir(), 'coldtrace-bench-load-'));
  try {
    const file = join(dir, 'load.json');
    writeFileSync(
      file,
      JSON.stringify({ url, path, headers: o.headers ?? {}, connections: o.connections, duration: o.seconds, amount: o.amount, timeout: o.timeoutSeconds ?? 10, generator: o.generator }),
    );
    const child = spawn(process.execPath, [LOAD_SCRIPT, file], { env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const stop = () => child.exitCode === null && child.kill('SIGTERM');
    o.stopWhen?.then(stop, stop);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`generate-load.js exited ${code}: ${stderr.slice(-2000)}`);
    return toLoad(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
