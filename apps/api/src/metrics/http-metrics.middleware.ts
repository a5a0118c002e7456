import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiMetrics } from './api-metrics';

/**
 * Times every request into coldtrace_http_request_duration_seconds, labelled
 * by the route's pattern (Fastify's `routeOptions.url` once routing matched,
 * e.g. /api/lots/:traceCode), never by the raw URL, which would make one
 * series per lot. Run before routing, so unrouted answers count too (route null).
 */
export const httpMetrics =
  (metrics: ApiMetrics) =>
  (req: FastifyRequest, reply: FastifyReply): void => {
    const started = performance.now();
    reply.raw.once('finish', () => {
      const route = req.is404 ? undefined : req.routeOptions.url;
      metrics.httpRequest(req.method, typeof route === 'string' ? route : null, reply.raw.statusCode, (performance.now() - started) / 1000);
    });
  };
