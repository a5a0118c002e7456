import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSigningKeyPem } from '@app/platform';
import { freePort } from '../../test/support/free-port';

export const ROOT = join(__dirname, '..', '..');
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
/** Preloaded into one-shot processes (the rebuild CLI, the SELECT baseline): prints their VmHWM as they exit. */
export const PEAK_RSS_HOOK = join(__dirname, 'peak-rss.js');

/**
 * The environment a child process gets: the bench's own, minus what would
 * change what is measured (Kafka mode, a second database, debugger flags).
 */
export const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('KAFKA_') || k === 'NODE_OPTIONS' || k === 'MIGRATIONS_DATABASE_URL') delete env[k];
  return { ...env, ...extra };
};

/** A `Vm...:  N kB` line of /proc/<pid>/status, in bytes; null once the process has gone. */
const statusBytes = (pid: number, field: 'VmHWM' | 'VmRSS'): number | null => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
};

/** `VmHWM`, the process's peak resident set (bytes). */
export const peakRss = (pid: number): number | null => statusBytes(pid, 'VmHWM');

/** `VmRSS`, the process's resident set now (bytes). */
export const currentRss = (pid: number): number | null => statusBytes(pid, 'VmRSS');

/** Resets the peak to the current RSS (Linux >= 4.0, `clear_refs` 5), so a later VmHWM covers one workload only. */
export const resetPeakRss = (pid: number): boolean => {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
};

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Children still running when the bench's own process exits (a failed or interrupted run) are killed with it. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** A long-running child (the api, a baseline server) and the tail of what it printed. */
export class Service {
  private log = '';
  readonly exitedP: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    running.add(child);
    this.exitedP = exited(child).then(() => void running.delete(child));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get output(): string {
    return this.log;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  peakRss(): number | null {
    return peakRss(this.pid);
  }

  resetPeakRss(): boolean {
    return resetPeakRss(this.pid);
  }

  /** SIGTERM (a `--cpu-prof` profile is written on a clean exit), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exitedP;
    clearTimeout(timer);
  }
}

/** Waits until `ready` answers true, failing early (with the child's output) if it exits first. */
const until = async (service: Service, what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
  const started = Date.now();
  for (;;) {
    if (!service.running) throw new Error(`${service.name} exited before ${what}:\n${service.output}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() - started > timeoutMs) {
      await service.stop();
      throw new Error(`${service.name}: timed out after ${timeoutMs} ms waiting for ${what}:\n${service.output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Each database's event-signing key (PEM), as its deployment would keep it. */
const signingKeys = new Map<string, string>();

export interface ApiProcess extends Service {
  readonly url: string;
}

/**
 * `node dist/apps/api/src/main.js` as a deployment runs it: embedded mode
 * (in-process projections), its own database, ADMIN_TOKEN, LOG_LEVEL=warn.
 * BENCH_API_NODE_ARGS adds node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
export const startApi = async (databaseUrl: string, adminToken: string, extraEnv: Record<string, string> = {}): Promise<ApiProcess> => {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'coldtrace-bench-data-'));
  // With DATABASE_URL the api needs a provisioned event-signing key, as a deployment does: the same one for every
  // api started on a database (credentials are trusted only when their events are signed by an accepted key).
  const signingKeyFile = join(dataDir, 'event-signing.key');
  if (!signingKeys.has(databaseUrl)) signingKeys.set(databaseUrl, newSigningKeyPem());
  await writeFile(signingKeyFile, signingKeys.get(databaseUrl)!, { mode: 0o600 });
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS || '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, API_MAIN], {
    cwd: ROOT,
    env: childEnv({
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN: adminToken,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      EVENT_SIGNING_KEY_FILE: signingKeyFile,
      ...extraEnv,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = new Service('api', child);
  const url = `http://127.0.0.1:${port}`;
  await until(service, 'GET /api/health answered 200', async () => (await fetch(`${url}/api/health`)).status === 200, 120_000);
  const stop = service.stop.bind(service);
  service.stop = async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  return Object.assign(service, { url });
};

/**
 * A baseline server under bench/baselines/ (plain node, no framework): it
 * prints `listening <port>` once it accepts connections.
 */
export const startBaseline = async (script: string, env: Record<string, string>): Promise<ApiProcess> => {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'baselines', script)], {
    cwd: ROOT,
    env: childEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = new Service(`baseline ${script}`, child);
  let port = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    const m = /listening (\d+)/.exec(chunk.toString());
    if (m) port = Number(m[1]);
  });
  await until(service, 'it listened', async () => port > 0, 30_000);
  return Object.assign(service, { url: `http://127.0.0.1:${port}` });
};

export interface OneShot {
  code: number | null;
  /** Killed when it outlasted its budget. */
  killed: boolean;
  ms: number;
  peakRss: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a node script to its end (or kills it after `budgetMs`) with the
 * peak-RSS hook preloaded; wall time from spawn to exit. VmHWM is also polled
 * while it runs, for a process that is killed (no exit hook then).
 */
export const runNode = (args: string[], env: Record<string, string>, budgetMs = 0): Promise<OneShot> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', PEAK_RSS_HOOK, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polled: number | null = null;
    let killed = false;
    const poll = setInterval(() => (polled = peakRss(child.pid!) ?? polled), 250);
    const budget = budgetMs > 0 ? setTimeout(() => ((killed = true), child.kill('SIGKILL')), budgetMs) : null;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      clearInterval(poll);
      if (budget) clearTimeout(budget);
      const m = /BENCH_PEAK_RSS_KB=(\d+)/.exec(stderr);
      resolve({ code, killed, ms, peakRss: m ? Number(m[1]) * 1024 : polled, stdout, stderr: stderr.replace(/\n?BENCH_PEAK_RSS_KB=\d+\n?/, '') });
    });
  });
