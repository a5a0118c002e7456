import type { FastifyRequest } from 'fastify';
import type { ApiMetrics } from './api-metrics';

/**
 * Times every request into coldtrace_http_request_duration_seconds, labelled
 * by the route's pattern (Fastify's `routeOptions.url` once routing matched,
 * e.g. /api/lots/:traceCode), never by the raw URL, which would make one
 * series per lot. Told by the access log (its OnAnswered) of every answer
 * sent in full, unrouted ones too (route null).
 */
export const httpMetrics =
  (metrics: ApiMetrics) =>
  (req: FastifyRequest, route: string | null, status: number, seconds: number): void =>
    metrics.httpRequest(req.method, route, status, seconds);
