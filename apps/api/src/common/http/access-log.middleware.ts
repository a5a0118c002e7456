import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Level } from 'pino';
import type { RootLogger } from '@app/platform';
import type { AuthenticatedRequest } from '../../access/access.guard';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * 5xx are ours; 503 says something we depend on is away (the database, a
 * projection, the broker: readiness names it). Health probes that pass are
 * debug: an orchestrator asks every few seconds.
 */
const levelOf = (status: number, path: string): Level =>
  status === 503 ? 'warn' : status >= 500 ? 'error' : status < 400 && path.startsWith('/api/health') ? 'debug' : 'info';

/** Told of every answer sent in full: the route's pattern (null when nothing matched) and how long it took. */
export type OnAnswered = (req: FastifyRequest, route: string | null, status: number, seconds: number) => void;

/** What the close listener needs of a request, kept on its Node response. */
interface Watched {
  readonly req: FastifyRequest;
  readonly fullPath: string;
  readonly started: number;
}
const WATCHED = Symbol('access log');
type WatchedResponse = ServerResponse & { [WATCHED]: Watched };

/**
 * Gives every request its id (Fastify's request id, made by requestIdFor;
 * echoed in `x-request-id`, on its access line and its Nest log lines) and
 * writes one access line when the answer is finished or the client went away;
 * `onAnswered` (the request metrics) hears of each answer sent in full. Run
 * first, before routing, so answers given before any handler (404, 415, 413)
 * carry the id and are logged too. On the Node response: a streamed download
 * (CSV) finishes there as well; its 'close' comes once, after 'finish' or
 * instead of it, so one listener serves both (three were ~1 us of a read's
 * CPU), and it is one function for every request, its request kept on the
 * response (a closure and a `once` wrapper per request were another ~0.5 us).
 */
export const accessLog = (log: RootLogger, onAnswered: OnAnswered) => {
  function closed(this: WatchedResponse): void {
    const { req, fullPath, started } = this[WATCHED];
    const status = this.statusCode;
    const seconds = (performance.now() - started) / 1000;
    // The route's pattern (set once routing matched), which groups requests; null when nothing matched.
    const matched = req.is404 ? undefined : req.routeOptions.url;
    const route = typeof matched === 'string' ? matched : null;
    if (this.writableFinished) onAnswered(req, route, status, seconds);
    const level = levelOf(status, fullPath);
    if (!log.isLevelEnabled(level)) return;
    const path = fullPath.slice(0, 200);
    // requestId first: the line reads as a child logger's would.
    const line = {
      requestId: req.id,
      method: req.method,
      route,
      status,
      durationMs: Math.round(seconds * 10000) / 10,
      keyId: (req as AuthenticatedRequest).principal?.keyId ?? null,
      ...(this.writableFinished ? {} : { aborted: true }),
    };
    log[level](line, `${req.method} ${route ?? path} ${status}`);
  }
  return (req: FastifyRequest, reply: FastifyReply, fullPath: string): void => {
    const res = reply.raw as WatchedResponse;
    res[WATCHED] = { req, fullPath, started: performance.now() };
    res.setHeader(REQUEST_ID_HEADER, req.id);
    res.on('close', closed);
  };
};
