import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __coldtraceEmbeddedPg?: { stop(): Promise<void> } }).__coldtraceEmbeddedPg;
  if (pg) await pg.stop();
  if (process.env.COLDTRACE_TEST_RUN_DIR) await rm(process.env.COLDTRACE_TEST_RUN_DIR, { recursive: true, force: true });
  if (process.env.COLDTRACE_TEST_KAFKA_STARTED === '1') {
    await run('bash', [join(__dirname, '..', '..', 'docker/kafka/stop.sh'), '--purge'], {
      env: { ...process.env, KAFKA_PORT: process.env.COLDTRACE_TEST_KAFKA_PORT, KAFKA_RUN_DIR: process.env.COLDTRACE_TEST_KAFKA_RUN_DIR },
    });
  }
}
