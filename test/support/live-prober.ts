import { spawn } from 'node:child_process';

/**
 * The prober itself, run by a bare `node`: GET <base>/api/health/live every
 * <everyMs> on a new connection each time, as an orchestrator does; prints
 * `ready` after the first answer and, once told `stop` (a line on stdin),
 * the latency of every probe in ms (-1 for one that failed) as JSON.
 */
const PROBER = `
const http = require('node:http');
const [base, everyMs] = [process.argv[1], Number(process.argv[2])];
const latencies = [];
let pending = 0;
let stopping = false;
const finish = () => { if (stopping && pending === 0) { process.stdout.write(JSON.stringify(latencies) + '\\n'); process.exit(0); } };
const probe = () => {
  const started = performance.now();
  pending++;
  const settle = (ms) => { latencies.push(ms); pending--; if (latencies.length === 1) process.stdout.write('ready\\n'); finish(); };
  http.get(base + '/api/health/live', { agent: false }, (res) => {
    res.resume();
    res.on('end', () => settle(res.statusCode === 200 ? performance.now() - started : -1));
  }).on('error', () => settle(-1));
};
const timer = setInterval(probe, everyMs);
probe();
process.stdin.on('data', () => { clearInterval(timer); stopping = true; finish(); });
`;

export interface LiveProber {
  /** Stops probing; every probe's latency in ms, in the order they were answered (-1: failed). */
  stop(): Promise<number[]>;
}

/**
 * Probes the api's liveness from a process of its own, so the latencies are
 * the api's, not those of a test process busy sending the load. Resolves
 * once the first probe was answered.
 */
export const startLiveProber = async (base: string, everyMs: number): Promise<LiveProber> => {
  const child = spawn(process.execPath, ['-e', PROBER, base, String(everyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the live prober exited with ${code} before its first probe`)));
  });
  return {
    stop: async () => {
      child.stdin!.end('stop\n');
      await exited;
      return JSON.parse(output.slice('ready\n'.length)) as number[];
    },
  };
};
