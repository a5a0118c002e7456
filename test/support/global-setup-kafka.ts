import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { baseSetup } from './global-setup';
import { HOW_TO_GET, isCi } from './needs';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

const hasJava = (): boolean => {
  if (process.env.JAVA_HOME && existsSync(join(process.env.JAVA_HOME, 'bin', 'java'))) return true;
  try {
    return execFileSync('which', ['java'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return false;
  }
};

/**
 * A real Kafka broker for the `kafka` project's suites (test/kafka/) and the
 * bench: the one named by KAFKA_BROKERS (CI starts it with
 * docker/kafka/start.sh), else one started here on port 19092 by that same
 * script (it needs Java) and stopped in global-teardown.
 */
const ensureKafka = async (): Promise<void> => {
  const given = process.env.KAFKA_BROKERS;
  if (given) {
    const port = /^127\.0\.0\.1:(\d+)$/.exec(given)?.[1];
    const runDir = process.env.KAFKA_RUN_DIR || join(process.env.TMPDIR || '/tmp', `coldtrace-kafka-${port}`);
    // Started by our script: the outage test may stop and restart it.
    if (port && existsSync(join(runDir, 'kafka.pid'))) {
      process.env.COLDTRACE_TEST_KAFKA_PORT = port;
      process.env.COLDTRACE_TEST_KAFKA_RUN_DIR = runDir;
    }
    return;
  }
  if (!hasJava()) {
    const why = 'no broker and no Java to start one (KAFKA_BROKERS unset, java not on PATH nor in JAVA_HOME)';
    // In CI the run stops here, in one line; locally the Kafka suites are skipped, each with a line (needs.ts).
    if (isCi()) throw new Error(`the Kafka suites (test/kafka/) need a broker: ${why}; ${HOW_TO_GET.kafka}`);
    process.env.COLDTRACE_TEST_KAFKA_MISSING = why;
    return;
  }
  const port = process.env.COLDTRACE_TEST_KAFKA_PORT || '19092';
  const runDir = join(tmpdir(), `coldtrace-test-kafka-${port}`);
  const started = Date.now();
  const { stdout } = await run('bash', [join(ROOT, 'docker/kafka/start.sh')], {
    env: { ...process.env, KAFKA_PORT: port, KAFKA_RUN_DIR: runDir },
    timeout: 600_000,
  });
  process.env.KAFKA_BROKERS = stdout.trim().split('\n').pop();
  process.env.COLDTRACE_TEST_KAFKA_PORT = port;
  process.env.COLDTRACE_TEST_KAFKA_RUN_DIR = runDir;
  process.env.COLDTRACE_TEST_KAFKA_STARTED = '1';
  console.log(`[e2e] started Kafka at ${process.env.KAFKA_BROKERS} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
};

/** The `kafka` project: the e2e set-up (build, PostgreSQL) and a broker, side by side. */
export default async function globalSetupKafka(): Promise<void> {
  await Promise.all([ensureKafka(), baseSetup()]);
}
