import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Level } from 'pino';
import { withRequestLog, type RootLogger } from '@app/platform';
import type { AuthenticatedRequest } from '../../access/access.guard';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

/**
 * 5xx are ours; 503 says something we depend on is away (the database, a
 * projection, the broker: readiness names it). Health probes that pass are
 * debug: an orchestrator asks every few seconds.
 */
const levelOf = (status: number, path: string): Level =>
  status === 503 ? 'warn' : status >= 500 ? 'error' : status < 400 && path.startsWith('/api/health') ? 'debug' : 'info';

/**
 * Gives every request its id (echoed in `x-request-id`, bound to `req.log`)
 * and writes one access line when the answer is finished. Installed as the
 * first middleware, so answers given before routing (404, 415, 413) carry the
 * id and are logged too; nestjs-pino's own request logging is module
 * middleware and would only ever see routed requests.
 */
export const accessLog =
  (log: RootLogger) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    // As the caller sent it (no query string); routers rewrite req.url on the way.
    const path = req.path.slice(0, 200);
    const requestId = requestIdFor(req);
    req.id = requestId;
    req.log = log.child({ requestId });
    res.setHeader(REQUEST_ID_HEADER, requestId);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      // The route's pattern (express sets it once routing matched), which groups requests; null when nothing matched.
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const line = {
        method: req.method,
        route: typeof route === 'string' ? route : null,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        keyId: (req as AuthenticatedRequest).principal?.keyId ?? null,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      req.log[levelOf(status, path)](line, `${req.method} ${line.route ?? path} ${status}`);
    };
    res.once('finish', done);
    res.once('close', done);
    // Nest `Logger` calls made while serving the request log through req.log: they carry its id.
    withRequestLog(req.log, next);
  };
