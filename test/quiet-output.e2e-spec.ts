import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ERROR_LINE } from './support/quiet';
import { adminUrl } from './support/test-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

/**
 * A green run prints no ERROR-level line: here one suite that stops the
 * database on purpose (its projections fail, requests answer 503) runs as a
 * child jest, and its whole output is read. Expected errors are captured by
 * the tests that cause them (test/support/logs.ts); kafkajs's retries are
 * mapped to warn and below (libs/messaging/src/kafka-client.ts). `.ci/run`
 * checks the whole `npm test` output the same way.
 */
describe('a green run is quiet (e2e, child jest)', () => {
  it('ERROR_LINE knows an error line when it sees one', () => {
    const lines = [
      '{"level":"error","time":"2026-12-01T18:00:00.000Z","service":"api","msg":"boom"}',
      '{"level":"fatal","msg":"gone"}',
      '{"level":"ERROR","timestamp":"2026-12-01T18:00:00.000Z","logger":"kafkajs","message":"Crash"}',
      '[Nest] 4242  - 12/01/2026, 6:00:00 PM   ERROR [HTTP] boom',
    ];
    const fine = ['{"level":"warn","msg":"database unavailable"}', 'PASS e2e test/x.e2e-spec.ts', '{"code":"INTERNAL_ERROR"}', '  ✓ an error is refused (3 ms)'];
    expect(lines.filter((l) => ERROR_LINE.test(l))).toEqual(lines);
    expect(fine.filter((l) => ERROR_LINE.test(l))).toEqual([]);
  });

  it('database-unavailable.e2e-spec.ts passes and prints no ERROR-level line', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TEST_DATABASE_URL: adminUrl(), FORCE_COLOR: '0' };
    // The broker this run uses stays this run's: the child must not stop it in its teardown.
    delete env.COLDTRACE_TEST_KAFKA_STARTED;
    const { stdout, stderr } = await run('npx', ['jest', '--selectProjects', 'e2e', '--runInBand', '--ci', '--testPathPatterns', 'test/database-unavailable'], {
      cwd: ROOT,
      env,
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${stdout}\n${stderr}`;
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(output.split('\n').filter((line) => ERROR_LINE.test(line))).toEqual([]);
  }, 300_000);
});
