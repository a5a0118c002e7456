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
export const testRootLogger = (service: string): RootLogger => createRootLogger({ service, logLevels: ['fatal', 'error', 'warn'], logFormat: 'json' });
