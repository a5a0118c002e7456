import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { ApiMetrics } from './api-metrics';

/**
 * Times every request into coldtrace_http_request_duration_seconds, labelled
 * by the route's pattern (express sets `req.route` once routing matched, e.g.
 * /api/lots/:traceCode), never by the raw URL, which would make one series
 * per lot. Installed before the catch-all 404, so unrouted answers count too.
 */
export const httpMetrics =
  (metrics: ApiMetrics) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      // A wildcard is no route of ours: Nest's not-found handler (`*path`) or module middleware mounted on all paths (`/api{/*splat}`).
      const matched = typeof route === 'string' && !route.includes('*') ? route : null;
      metrics.httpRequest(req.method, matched, res.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
