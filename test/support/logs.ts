import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Level } from 'pino';
import { createRootLogger, type LogLevel, type RootLogger } from '@app/platform';

/** One JSON log line as the services write it. */
export interface LogLine {
  readonly level: Level;
  readonly msg?: string;
  readonly context?: string;
  readonly service?: string;
  readonly [field: string]: unknown;
}

export interface CapturedLogs {
  /** A root logger whose lines are kept here instead of printed (hand it to createTestApp / createTestProjector). */
  readonly log: RootLogger;
  /** Every line so far, parsed. */
  readonly lines: LogLine[];
  /** Lines at error or fatal level. */
  errors(): LogLine[];
}

/**
 * Lines kept in memory, for tests that read them back (the access log) or
 * that break something on purpose (a stopped database or broker): the errors
 * they cause are expected, asserted on where it matters, and never printed,
 * so a green `npm test` prints no ERROR line.
 */
export const captureLogs = (service = 'api', logLevels: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug']): CapturedLogs => {
  const lines: LogLine[] = [];
  // pino writes each line whole, synchronously: readable the moment it is logged.
  const sink = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
  const log = createRootLogger({ service, logLevels, logFormat: 'json' }, sink);
  return { log, lines, errors: () => lines.filter((l) => l.level === 'error' || l.level === 'fatal') };
};

/**
 * What test apps log when a test does not capture: warnings and errors on
 * stdout, as JSON lines. Errors there are failures of the run's quietness
 * (test/quiet-output.e2e-spec.ts, .ci/run).
 */
export const testRootLogger = (service: string): RootLogger =>
  createRootLogger({ service, logLevels: ['fatal', 'error', 'warn'], logFormat: 'json' }, { write: (line: string) => void (keep(line) && process.stdout.write(line)) });

/**
 * The api's warning that its database role could rewrite events (apps/api/src/audit/runtime-role.check.ts):
 * test apps run as the database owner, so every start would say it (66 copies a run). Said once per
 * run here (production says it at every start); test/runtime-role.e2e-spec.ts checks the warning itself.
 */
export const ROLE_WARNING = /^database role ".*" may .* the events table/;

let roleWarningSaid = false;

/** First time in this run? Across test files by a marker in the run's folder (global-setup.ts), else per file. */
const firstInRun = (): boolean => {
  const dir = process.env.COLDTRACE_TEST_RUN_DIR;
  if (!dir) return !roleWarningSaid && (roleWarningSaid = true);
  try {
    closeSync(openSync(join(dir, 'role-warning-said'), 'wx'));
    return true;
  } catch {
    return false;
  }
};

const keep = (line: string): boolean => {
  if (!line.includes('the events table')) return true;
  const msg = (JSON.parse(line) as LogLine).msg ?? '';
  return !ROLE_WARNING.test(msg) || firstInRun();
};
