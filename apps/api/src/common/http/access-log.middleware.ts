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

/**
 * Gives every request its id (Fastify's request id, made by requestIdFor;
 * echoed in `x-request-id`, bound to `req.log`) and writes one access line
 * when the answer is finished or the client went away. Run first, before
 * routing, so answers given before any handler (404, 415, 413) carry the id
 * and are logged too. On the Node response: a streamed download (CSV)
 * finishes there as well.
 */
export const accessLog =
  (log: RootLogger) =>
  (req: FastifyRequest, reply: FastifyReply, fullPath: string): void => {
    const started = performance.now();
    const path = fullPath.slice(0, 200);
    const res = reply.raw;
    req.log = log.child({ requestId: req.id });
    res.setHeader(REQUEST_ID_HEADER, req.id);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      // The route's pattern (set once routing matched), which groups requests; null when nothing matched.
      const route = req.is404 ? undefined : req.routeOptions.url;
      const line = {
        method: req.method,
        route: typeof route === 'string' ? route : null,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        keyId: (req as AuthenticatedRequest).principal?.keyId ?? null,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      (req.log as RootLogger)[levelOf(status, path)](line, `${req.method} ${line.route ?? path} ${status}`);
    };
    res.once('finish', done);
    res.once('close', done);
  };
