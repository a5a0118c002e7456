import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamicModule, Logger as NestLogger, LoggerService, Module } from '@nestjs/common';
import { Logger, PinoLogger, type Params } from 'nestjs-pino';
import { envLogFormat, envLogLevels } from '../config/env';
import { createRootLogger, type RootLogger } from './root-logger';

/** The process's root pino logger, for code that logs structured fields (the access log). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * A request's logger, its `requestId` bound: made when a line is first
 * logged through it (most requests log nothing but their access line, and a
 * pino child per request cost ~2% of a read's CPU).
 */
class RequestLog {
  private child: RootLogger | null = null;

  constructor(
    private readonly root: RootLogger,
    private readonly requestId: string,
  ) {}

  get logger(): RootLogger {
    return (this.child ??= this.root.child({ requestId: this.requestId }));
  }
}

/** The logger of the request being served, set by configureApp's first hook. */
const requestLog = new AsyncLocalStorage<RequestLog>();

/** Runs `next` (the rest of the request's handling) with `root` and the request's id as the logger of every Nest `Logger` call it makes. */
export const withRequestLog = (root: RootLogger, requestId: string, next: () => void): void => requestLog.run(new RequestLog(root, requestId), next);

const params = (log: RootLogger): Params => ({ pinoHttp: { logger: log } });

/**
 * nestjs-pino's PinoLogger on the given root: a Nest `Logger` call made while
 * serving a request logs through that request's logger (it carries the
 * `requestId`), any other through the root. Not nestjs-pino's own request
 * binding (LoggerModule): that keeps one root a process (a test file starts
 * several apps, each with its own destination), and mounts its middleware as
 * routes, after ours; the access log middleware binds the request first.
 */
class RootedPinoLogger extends PinoLogger {
  constructor(private readonly root: RootLogger) {
    super(params(root));
  }

  override get logger() {
    return requestLog.getStore()?.logger ?? this.root;
  }
}

@Module({})
class LoggingModule {}

/** ROOT_LOGGER for the app's providers and configureApp (the access log). */
export const loggingModule = (log: RootLogger): DynamicModule => ({
  module: LoggingModule,
  global: true,
  providers: [{ provide: ROOT_LOGGER, useValue: log }],
  exports: [ROOT_LOGGER],
});

/**
 * Nest's LoggerService (nestjs-pino's) on the root logger: hand it to
 * NestFactory.create's `logger` option (Nest's own lines and every
 * `new Logger(context)` then go through pino, `context` as a field) and to
 * `Logger.overrideLogger` for what is logged before the app exists.
 */
export const nestLogger = (log: RootLogger, options: { quiet?: boolean } = {}): LoggerService =>
  options.quiet ? new QuietNestLogger(new RootedPinoLogger(log), params(log)) : new Logger(new RootedPinoLogger(log), params(log));

/** Nest's start-up chatter: a line per module, controller and route (over a hundred). */
const CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** For a person at a terminal (`quiet`): Nest's start-up chatter at debug level, so the start-up summary stands out. */
class QuietNestLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && CHATTER.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/**
 * For the command-line tools: Nest `Logger` calls go to JSON lines on stderr
 * (LOG_LEVEL and LOG_FORMAT as for the services), so a tool's own output on
 * stdout (a token, a report) stays clean for scripts.
 */
export const useCliLogging = (service: string, env: NodeJS.ProcessEnv = process.env): RootLogger => {
  const log = createRootLogger({ service, logLevels: envLogLevels(env), logFormat: envLogFormat(env) }, undefined, 2);
  NestLogger.overrideLogger(nestLogger(log));
  return log;
};
