import { hostname } from 'node:os';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/env';

/** The one pino logger of a process: Nest's logger, the access log and kafkajs all write through it. */
export type RootLogger = Logger;

export interface LogSettings {
  /** Which process wrote the line: `api`, `projector`, or a CLI's name. */
  readonly service: string;
  /** As parsed from LOG_LEVEL: the most verbose level kept is the last. */
  readonly logLevels: readonly LogLevel[];
  readonly logFormat: LogFormat;
}

/** Nest's level names (what LOG_LEVEL takes) to pino's. */
const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** The pino level LOG_LEVEL names. */
export const pinoLevelOf = (logLevels: readonly LogLevel[]): Level => PINO_LEVEL[logLevels[logLevels.length - 1] ?? 'log'];

/** Lines for a terminal, formatted in-process (no worker thread): pino-pretty reads the same JSON a collector would. */
const pretty = (fd: 1 | 2): DestinationStream => {
  const out = fd === 1 ? process.stdout : process.stderr;
  const prettify = prettyFactory({
    colorize: out.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    messageFormat: '{if context}[{context}] {end}{msg}',
    ignore: 'pid,hostname,service,context',
  });
  return { write: (line: string) => void out.write(prettify(line)) };
};

/**
 * JSON lines on stdout (`fd` 2: stderr; `LOG_FORMAT=pretty`: formatted for a
 * terminal): `level` as a label, `time` in ISO 8601, `service`, `pid`,
 * `hostname`, `msg`, and the line's own fields. `destination` is for tests,
 * which read the lines back.
 */
export const createRootLogger = (settings: LogSettings, destination?: DestinationStream, fd: 1 | 2 = 1): RootLogger => {
  const level = pinoLevelOf(settings.logLevels);
  const base = { service: settings.service, pid: process.pid, hostname: hostname() };
  const options = {
    level,
    base,
    // Labels and ISO times: a line reads the same in a terminal, a grep and a log collector.
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (settings.logFormat === 'pretty') return pino(options, destination ?? pretty(fd));
  // Written asynchronously (lines that come while a write is under way go out together with the next): a
  // synchronous write per access line was 4-5% of a request's CPU. pino flushes what is left when the process exits.
  return pino(options, destination ?? pino.destination({ dest: fd, sync: false }));
};
