import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What a test needs from the machine beyond Node, PostgreSQL and the
 * repository: a browser, GS1's reference files beside the repository, a Kafka
 * broker (the `kafka` jest project's set-up starts one, with Java, only when
 * its suites run; global-setup-kafka.ts).
 * A suite or a test says what it needs; when that is missing, CI fails at once
 * with one line naming it and how to get it, and a developer's run (CI unset)
 * skips it with one printed line: never a silent skip, never minutes of timeouts.
 */
export type Need = 'chromium' | 'epcis' | 'kafka';

const ROOT = join(__dirname, '..', '..');
const SHARED_EPCIS = join(ROOT, '..', 'shared', 'epcis');

/** How to get each need, said in the failure and the skip line. */
export const HOW_TO_GET: Record<Need, string> = {
  chromium: "install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium",
  epcis: "put GS1's EPCIS reference files (EPCIS-JSON-Schema.json, the examples) in ../shared/epcis beside the repository",
  kafka: 'set KAFKA_BROKERS to a broker, or install Java 11+ (or set JAVA_HOME) for docker/kafka/start.sh; `npm run test:no-kafka` runs every other suite',
};

/** Why the need is missing on this machine, or null when it is there. */
const PROBES: Record<Need, (env: NodeJS.ProcessEnv) => string | null> = {
  chromium: (env) => {
    const given = env.CHROMIUM_PATH;
    if (given) return existsSync(given) ? null : `no Chromium at CHROMIUM_PATH=${given}`;
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      try {
        if (execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) return null;
      } catch {
        // not this one
      }
    }
    return 'no Chromium on PATH (chromium, chromium-browser, google-chrome)';
  },
  // The kafka project's set-up sets KAFKA_BROKERS, or says why it could not (COLDTRACE_TEST_KAFKA_MISSING).
  kafka: (env) => (env.KAFKA_BROKERS ? null : (env.COLDTRACE_TEST_KAFKA_MISSING ?? 'KAFKA_BROKERS is not set (run the suite with --selectProjects kafka)')),
  epcis: () => (existsSync(join(SHARED_EPCIS, 'EPCIS-JSON-Schema.json')) ? null : `no ${relative(ROOT, SHARED_EPCIS)}/EPCIS-JSON-Schema.json`),
};

export type Verdict = { readonly run: true } | { readonly run: false; readonly fail: boolean; readonly line: string };

/**
 * Pure: what to do with `what` (a suite's file, or a test) that needs `need`,
 * given why it is missing (null: it is there) and whether this is CI.
 */
export const verdict = (need: Need, missing: string | null, what: string, ci: boolean): Verdict => {
  if (missing === null) return { run: true };
  return ci
    ? { run: false, fail: true, line: `${what} needs ${need}: ${missing}; ${HOW_TO_GET[need]}` }
    : { run: false, fail: false, line: `[skipped] ${what} needs ${need}: ${missing}; ${HOW_TO_GET[need]} (CI=true would fail here)` };
};

/** CI as CI services set it (`CI=true`, `CI=1`); unset, empty, `false` or `0`: a developer's machine. */
export const isCi = (env: NodeJS.ProcessEnv = process.env): boolean => !!env.CI && !/^(false|0)$/i.test(env.CI);

/** One error line, without jest's stack: the missing thing and how to get it. */
class MissingNeed extends Error {
  constructor(line: string) {
    super(line);
    this.name = 'MissingNeed';
    this.stack = `${this.name}: ${line}`;
  }
}

const decide = (need: Need, what: string): boolean => {
  const v = verdict(need, PROBES[need](process.env), what, isCi());
  if (v.run) return true;
  if (v.fail) throw new MissingNeed(v.line);
  // Straight to the terminal, one line (console.log would add jest's three lines of where).
  process.stderr.write(`${v.line}\n`);
  return false;
};

const fileOf = (file: string) => relative(ROOT, file);

/**
 * `describe` for a suite that needs `need` (`file`: its __filename; `label`: which part of it, when a nested
 * describe needs it): skipped with a printed line when missing locally, a one-line failure in CI.
 */
export const describeNeeding = (need: Need, file: string, label?: string): jest.Describe =>
  decide(need, label ? `${fileOf(file)} › ${label}` : fileOf(file)) ? describe : describe.skip;

/** `it` for one test that needs `need` (the rest of its suite runs without): `itNeeding('epcis', __filename)('name', fn)`. */
export const itNeeding =
  (need: Need, file: string) =>
  (name: string, fn: jest.ProvidesCallback, timeout?: number): void =>
    decide(need, `${fileOf(file)} › ${name}`) ? it(name, fn, timeout) : it.skip(name, fn, timeout);
