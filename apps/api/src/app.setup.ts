import { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROOT_LOGGER, withRequestLog, type RootLogger } from '@app/platform';
import { accessLog } from './common/http/access-log.middleware';
import { ApiError } from './common/http/api-errors';
import { ApiExceptionFilter } from './common/http/api-exception.filter';
import { assertUtf8Url } from './common/http/input-shape';
import { BODY_LIMITS, bodyLimitFor, mediaTypeOf, parseJsonBody } from './common/http/json-body';
import { RejectNulPipe } from './common/http/reject-nul.pipe';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { apiValidationPipe } from './common/http/validation.pipe';
import type { AppConfig } from './config/app-config';
import { shopperPageBadPath } from './public/pages/shopper-page/shopper-page.path-check';
import { isResolverPath, RESOLVER_PATHS } from './public/resolver/resolver.routes';
import { ApiMetrics } from './metrics/api-metrics';
import { httpMetrics } from './metrics/http-metrics.middleware';
import { OpenApiDocument } from './openapi/openapi.document';
import { DOCS_PATH } from './openapi/swagger-ui.http.controller';
import { installSaleEligibilityFastLane } from './lots/queries/get-sale-eligibility/sale-eligibility.fast-lane';
import { installRecordScanFastLane } from './lots/commands/record-scan/record-scan.fast-lane';

/** Every route but the metrics and the pages is under /api. */
const API_PREFIX = 'api';

/** Prometheus scrapes it at the usual place, not under /api (MetricsHttpController). */
const METRICS_PATH = '/metrics';

/**
 * Pages people look at, served beside /api by the api itself: the shopper's
 * page behind the QR code (/t/:traceCode) and the regulator's console
 * (/console). Their controllers set their own Content-Security-Policy.
 */
export const PAGE_PATHS = ['/t/{*rest}', '/console', '/console/{*rest}'];
const isPagePath = (path: string): boolean => path.startsWith('/t/') || path === '/console' || path.startsWith('/console/');

/** Nest's own body parsers are off: configureApp installs the one JSON parser, behind the media-type check. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/** The path as the caller sent it, without the query string. */
const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
};

const hasBody = (req: FastifyRequest): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * Swagger UI's page runs its scripts and styles from this origin (self-hosted,
 * no inline script) and fetches /api/openapi.json; its rendered styles are
 * inline. Only under /api/docs: every other answer is data and loads nothing.
 */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

const isDocsPath = (path: string): boolean => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);

/**
 * On the Node response, not Fastify's reply: Node merges them into every
 * answer, errors, 404s and streamed downloads included, and a controller's
 * own header (a page's CSP) still wins.
 */
const setSecurityHeaders = (path: string, reply: FastifyReply): void => {
  const res = reply.raw;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', isDocsPath(path) ? DOCS_CSP : DATA_CSP);
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Verdicts change with every scan and certificate expiry; no cache may keep one.
  res.setHeader('Cache-Control', 'no-store');
};

/**
 * Only JSON bodies: a browser can send a form or text POST cross-site without
 * asking, so accepting those would let any web page lock, recall or attach a
 * test result with a victim's credentials. A body over its route's limit is
 * refused on its declared length, before a byte of it is read.
 */
const assertJsonBody = (path: string, req: FastifyRequest): void => {
  if (!hasBody(req)) return;
  const { types } = bodyLimitFor(path);
  const type = mediaTypeOf(req.headers['content-type']);
  if (type === null || !types.includes(type)) {
    const sent = req.headers['content-type'];
    // What was sent, so the caller sees its own mistake (a form, text/plain, no header); cut short, it is the caller's text.
    const received = sent === undefined ? 'no Content-Type header' : `Content-Type ${JSON.stringify(sent.slice(0, 100))}`;
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `received ${received}; request bodies must be ${types.join(' or ')} (send the header Content-Type: ${types[0]})`, {
      received: sent === undefined ? null : sent.slice(0, 100),
      accepted: [...types],
    });
  }
  const declared = Number(req.headers['content-length']);
  if (declared > bodyLimitFor(path).bytes) throw BODY_LIMITS.tooLarge();
};

/**
 * Every request, before routing decides anything: its id and access line,
 * the security headers, then the checks that refuse it whatever route it
 * names (404 outside our paths, a URL that is not UTF-8, a body that is not
 * JSON). Also run for a URL the router cannot decode (frameworkErrors).
 * True when it answered itself (the shopper's page for a torn code).
 */
const beforeRouting = (config: AppConfig, log: RootLogger, metrics: ApiMetrics) => {
  const logAccess = accessLog(log, httpMetrics(metrics));
  return (req: FastifyRequest, reply: FastifyReply, path: string): boolean => {
    logAccess(req, reply, path);
    setSecurityHeaders(path, reply);
    // Everything lives under /api (and /metrics, where scrapers look, the pages, and the GS1 resolver where GS1 tools look).
    if (!(path === '/api' || path.startsWith('/api/') || path === METRICS_PATH || isPagePath(path) || isResolverPath(path))) {
      throw new ApiError(404, 'ROUTE_NOT_FOUND', 'no such route');
    }
    if (shopperPageBadPath(path, req, reply, config.epcisTimeZoneOffset)) return true;
    // Pages keep their own answers to a bad URL (a friendly page, not JSON); they read no text a query could spoil.
    if (!isPagePath(path)) assertUtf8Url(req.url);
    assertJsonBody(path, req);
    return false;
  };
};

type FrameworkErrorHandler = (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => void;
/** Fastify takes its frameworkErrors handler when it is made, before the app exists: configureApp fills it in. */
const frameworkErrorHandlers = new WeakMap<object, FrameworkErrorHandler>();

/** A hop count trusts that many nearest hops (as Express did; Fastify's own number form trusts none); a list, those addresses. */
const trustProxyOf = (trust: AppConfig['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) => {
  if (trust === null) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
};

/**
 * The Fastify instance the api serves on. trustProxy is a hop count or the
 * proxies' addresses (never `true`: AppConfig refuses it), so req.ip is the
 * client the nearest trusted proxy saw.
 */
export const httpAdapter = (config: AppConfig): FastifyAdapter =>
  new FastifyAdapter({
    trustProxy: trustProxyOf(config.trustProxy),
    // The largest route limit; each route's own is applied by the parser (json-body.ts).
    bodyLimit: BODY_LIMITS.largest,
    genReqId: requestIdFor,
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const handle = frameworkErrorHandlers.get(req.server);
      if (handle) handle(error, req, reply);
      else reply.send(error);
    },
    requestIdHeader: false,
    logger: false,
    // A trace code is short, but a long one must be answered by its route's validation, not by a router 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
  });

/** Everything about the HTTP surface that main.ts and the e2e tests must share. */
export const configureApp = (app: NestFastifyApplication, config: AppConfig): NestFastifyApplication => {
  const server = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const log = app.get<RootLogger>(ROOT_LOGGER);
  const before = beforeRouting(config, log, app.get(ApiMetrics));
  const filter = new ApiExceptionFilter();
  // First: every answer, even a 404, 413 or 415 given before routing, gets a request id and an access line.
  server.addHook('onRequest', (req, reply, done) => {
    try {
      if (before(req, reply, pathOf(req.url))) return;
    } catch (e) {
      return done(e as FastifyError);
    }
    // Nest `Logger` calls made while serving the request log through its logger: they carry its id.
    withRequestLog(log, req.id, done);
  });
  // A URL whose escapes the router cannot decode never reaches a hook: the same steps, then its answer.
  frameworkErrorHandlers.set(server, (error, req, reply) => {
    try {
      if (!before(req, reply, pathOf(req.url))) filter.send(reply, error);
    } catch (e) {
      filter.send(reply, e);
    }
  });
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      // Lists as one string: @fastify/cors would join an array with ", ", and clients split on ",".
      methods: 'GET,POST,DELETE',
      allowedHeaders: ['authorization', 'content-type', 'x-correlation-id', REQUEST_ID_HEADER].join(','),
      exposedHeaders: [REQUEST_ID_HEADER],
      maxAge: 600,
    });
  }
  server.removeAllContentTypeParsers();
  server.addContentTypeParser(['application/json', 'application/ld+json'], { parseAs: 'buffer', bodyLimit: BODY_LIMITS.largest }, (req, body, done) => {
    try {
      done(null, parseJsonBody(pathOf(req.url), req.headers, body as Buffer));
    } catch (e) {
      done(e as FastifyError, undefined);
    }
  });
  // After the onRequest hooks (id, access line, headers, CORS), before Nest's pipeline.
  installSaleEligibilityFastLane(app, server, API_PREFIX);
  installRecordScanFastLane(app, server, API_PREFIX, filter);
  app.setGlobalPrefix(API_PREFIX, { exclude: [METRICS_PATH, ...PAGE_PATHS, ...RESOLVER_PATHS] });
  app.useGlobalPipes(new RejectNulPipe(), apiValidationPipe());
  app.useGlobalFilters(filter);
  // After the global prefix: the document names the paths as served.
  app.get(OpenApiDocument).generateFrom(app);
  return app;
};
