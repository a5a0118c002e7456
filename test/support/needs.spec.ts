import { describeNeeding, HOW_TO_GET, isCi, verdict } from './needs';

/** The rules of test/support/needs.ts and of the jest projects: what a run does when the machine lacks something. */

/** What `describeNeeding` answers and prints (stderr) under `env`, decided now (at collection, as suites do). */
const underEnv = (env: NodeJS.ProcessEnv, call: () => unknown): { result?: unknown; thrown?: string; printed: string[] } => {
  const saved = { ...process.env };
  const printed: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => printed.push(chunk) > 0) as typeof process.stderr.write;
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return { result: call(), printed };
  } catch (e) {
    return { thrown: (e as Error).message, printed };
  } finally {
    process.stderr.write = write;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
};

const localMissing = underEnv({ CI: undefined, CHROMIUM_PATH: '/nonexistent/chromium' }, () => describeNeeding('chromium', __filename));
const ciMissing = underEnv({ CI: 'true', CHROMIUM_PATH: '/nonexistent/chromium' }, () => describeNeeding('chromium', __filename));
const present = underEnv({ CI: 'true', CHROMIUM_PATH: process.execPath }, () => describeNeeding('chromium', __filename));

describe('what a test needs: CI fails at once in one line, a local run skips with one printed line', () => {
  it('present: the suite runs, nothing printed', () => {
    expect(verdict('epcis', null, 'x.e2e-spec.ts', true)).toEqual({ run: true });
    expect(present).toEqual({ result: describe, printed: [] });
  });

  it('missing in CI: one line naming the file, what is missing and how to get it', () => {
    expect(verdict('chromium', 'no Chromium on PATH', 'test/pages/a.e2e-spec.ts', true)).toEqual({
      run: false,
      fail: true,
      line: `test/pages/a.e2e-spec.ts needs chromium: no Chromium on PATH; ${HOW_TO_GET.chromium}`,
    });
    expect(ciMissing.thrown).toBe(`test/support/needs.spec.ts needs chromium: no Chromium at CHROMIUM_PATH=/nonexistent/chromium; ${HOW_TO_GET.chromium}`);
    expect(ciMissing.thrown).not.toContain('\n');
    expect(ciMissing.printed).toEqual([]);
  });

  it('missing locally: skipped, with one printed line saying so, why and how to get it', () => {
    expect(localMissing.result).toBe(describe.skip);
    expect(localMissing.printed).toEqual([
      `[skipped] test/support/needs.spec.ts needs chromium: no Chromium at CHROMIUM_PATH=/nonexistent/chromium; ${HOW_TO_GET.chromium} (CI=true would fail here)\n`,
    ]);
  });

  it('CI is CI=true or CI=1; unset, empty, false or 0 is a developer machine', () => {
    expect([{ CI: 'true' }, { CI: '1' }, { CI: 'TRUE' }].map(isCi)).toEqual([true, true, true]);
    expect([{}, { CI: '' }, { CI: 'false' }, { CI: '0' }].map(isCi)).toEqual([false, false, false, false]);
  });
});

describe('Kafka only for the suites that use it', () => {
  type Project = { displayName: string; testMatch: string[]; testPathIgnorePatterns?: string[]; globalSetup?: string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const projects = (require('../../jest.config.js') as { projects: Project[] }).projects;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const scripts = (require('../../package.json') as { scripts: Record<string, string> }).scripts;
  const byName = Object.fromEntries(projects.map((p) => [p.displayName, p]));

  it('the broker is started by the kafka project only, which holds test/kafka/; e2e ignores that folder', () => {
    expect(projects.filter((p) => p.globalSetup?.endsWith('global-setup-kafka.ts')).map((p) => p.displayName).sort()).toEqual(['bench', 'kafka']);
    expect(byName.kafka.testMatch).toEqual(['<rootDir>/test/kafka/**/*.e2e-spec.ts']);
    expect(byName.e2e.testPathIgnorePatterns).toContain('<rootDir>/test/kafka/');
    expect(byName.e2e.globalSetup).toMatch(/\/global-setup\.ts$/);
  });

  it('npm test runs every project of the suite; test:no-kafka all but kafka', () => {
    expect(scripts.test).toBe('jest --runInBand --selectProjects unit e2e kafka');
    expect(scripts['test:no-kafka']).toBe('jest --runInBand --selectProjects unit e2e');
  });

  it('every Kafka suite says it needs the broker (skipped with a line locally when there is none, never silently)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const dir = require('node:path').join(__dirname, '..', 'kafka') as string;
    const suites = fs.readdirSync(dir).filter((f) => f.endsWith('.e2e-spec.ts'));
    expect(suites.length).toBeGreaterThan(0);
    expect(suites.filter((f) => !fs.readFileSync(`${dir}/${f}`, 'utf8').includes("describeNeeding('kafka', __filename)"))).toEqual([]);
  });

  it('the e2e set-up starts no broker (no Java needed)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const source = require('node:fs').readFileSync(require.resolve('./global-setup'), 'utf8') as string;
    expect(source).not.toMatch(/docker\/kafka|KAFKA_BROKERS/);
  });
});
