import express, { type NextFunction, type Request, type Response } from 'express';
import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ROOT_LOGGER, type RootLogger } from '@app/platform';
import { accessLog } from './common/http/access-log.middleware';
import { ApiError } from './common/http/api-errors';
import { ApiExceptionFilter } from './common/http/api-exception.filter';
import { assertStorableBody, assertUtf8Url, refuseInvalidUtf8Body } from './common/http/input-shape';
import { RejectNulPipe } from './common/http/reject-nul.pipe';
import { REQUEST_ID_HEADER } from './common/http/request-id';
import { apiValidationPipe } from './common/http/validation.pipe';
import type { AppConfig } from './config/app-config';
import { MAX_CAPTURE_BYTES, refuseTooManyEvents } from './epcis/capture/capture-limits';
import { shopperPagePathCheck } from './public/pages/shopper-page/shopper-page.path-check';
import { ApiMetrics } from './metrics/api-metrics';
import { httpMetrics } from './metrics/http-metrics.middleware';
import { OpenApiDocument } from './openapi/openapi.document';
import { DOCS_PATH } from './openapi/swagger-ui.http.controller';

/** A capture's raw bytes: UTF-8 as every body, then its events counted before anything parses them. */
const checkCaptureBytes: typeof refuseTooManyEvents = (req, res, body, encoding) => {
  refuseInvalidUtf8Body(req, res, body, encoding);
  refuseTooManyEvents(req, res, body, encoding);
};

/** Prometheus scrapes it at the usual place, not under /api (MetricsHttpController). */
const METRICS_PATH = '/metrics';

/**
 * Pages people look at, served beside /api by the api itself: the shopper's
 * page behind the QR code (/t/:traceCode) and the regulator's console
 * (/console). Their controllers set their own Content-Security-Policy.
 */
export const PAGE_PATHS = ['/t/{*rest}', '/console', '/console/{*rest}'];
const isPagePath = (path: string): boolean => path.startsWith('/t/') || path === '/console' || path.startsWith('/console/');

/** Nest's own body parsers are off: configureApp installs the one JSON parser, after the media-type check. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * Swagger UI's page runs its scripts and styles from this origin (self-hosted,
 * no inline script) and fetches /api/openapi.json; its rendered styles are
 * inline. Only under /api/docs: every other answer is data and loads nothing.
 */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const isDocsPath = (path: string): boolean => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);

const securityHeaders = (req: Request, res: Response, next: NextFunction): void => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', isDocsPath(req.path) ? DOCS_CSP : "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Verdicts change with every scan and certificate expiry; no cache may keep one.
  res.setHeader('Cache-Control', 'no-store');
  next();
};

const JSON_ONLY = ['application/json'];
const JSON_OR_JSON_LD = ['application/json', 'application/ld+json'];
const EPCIS_CAPTURE_PATH = '/api/epcis/capture';

/**
 * Only JSON bodies: a browser can send a form or text POST cross-site without
 * asking, so accepting those would let any web page lock, recall or attach a
 * test result with a victim's credentials.
 */
const jsonOnly = (req: Request, _res: Response, next: NextFunction): void => {
  // EPCIS capture also takes GS1's own media type for a document, JSON-LD (a form cannot send it either).
  const types = req.path.replace(/\/$/, '') === EPCIS_CAPTURE_PATH ? JSON_OR_JSON_LD : JSON_ONLY;
  const type = hasBody(req) ? req.is(types) : undefined;
  if (type !== undefined && (typeof type !== 'string' || !types.includes(type))) {
    next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `request bodies must be ${types.join(' or ')}`));
    return;
  }
  next();
};

/** Pages keep their own answers to a bad URL (a friendly page, not JSON); they read no text a query could spoil. */
const utf8Url = (req: Request, _res: Response, next: NextFunction): void => {
  if (isPagePath(req.path)) return next();
  try {
    assertUtf8Url(req.originalUrl);
    next();
  } catch (e) {
    next(e);
  }
};

const storableBody = (req: Request, _res: Response, next: NextFunction): void => {
  try {
    if (hasBody(req)) assertStorableBody(req.body);
    next();
  } catch (e) {
    next(e);
  }
};

/** Everything about the HTTP surface that main.ts and the e2e tests must share. */
export const configureApp = (app: INestApplication, config: AppConfig): INestApplication => {
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  // Answers are no-store anyway; hashing every body for an ETag nobody revalidates is wasted work.
  server.set('etag', false);
  // A hop count or the proxies' addresses (never `true`: AppConfig refuses it), so req.ip is the client the nearest trusted proxy saw.
  if (config.trustProxy !== null) server.set('trust proxy', config.trustProxy);
  // First: every answer, even a 404, 413 or 415 given before routing, gets a request id and an access line.
  app.use(accessLog(app.get<RootLogger>(ROOT_LOGGER)));
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-correlation-id', REQUEST_ID_HEADER],
      exposedHeaders: [REQUEST_ID_HEADER],
      maxAge: 600,
    });
  }
  app.use(securityHeaders);
  app.use(httpMetrics(app.get(ApiMetrics)));
  // Everything lives under /api (and /metrics, where scrapers look); anything else gets our JSON 404, not Express's HTML page.
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path === '/api' || req.path.startsWith('/api/') || req.path === METRICS_PATH || isPagePath(req.path)
      ? next()
      : res.status(404).json({ code: 'ROUTE_NOT_FOUND', message: 'no such route' }),
  );
  app.use(shopperPagePathCheck(config.epcisTimeZoneOffset));
  app.use(utf8Url);
  app.use(jsonOnly);
  // Each parser checks the bytes are UTF-8 before decoding them (decoding would turn a bad byte into U+FFFD).
  // A batch of 1000 scans is a few hundred kB; every other body stays small.
  app.use('/api/scans/batch', express.json({ limit: '1mb', strict: true, type: 'application/json', verify: refuseInvalidUtf8Body }));
  // An EPCIS document of a day's events is as large as a batch of scans; its events are counted before it is parsed.
  app.use(EPCIS_CAPTURE_PATH, express.json({ limit: MAX_CAPTURE_BYTES, strict: true, type: JSON_OR_JSON_LD, verify: checkCaptureBytes }));
  app.use(express.json({ limit: '100kb', strict: true, type: 'application/json', verify: refuseInvalidUtf8Body }));
  app.use(storableBody);
  app.setGlobalPrefix('api', { exclude: [METRICS_PATH, ...PAGE_PATHS] });
  app.useGlobalPipes(new RejectNulPipe(), apiValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  // After the global prefix: the document names the paths as served.
  app.get(OpenApiDocument).generateFrom(app);
  return app;
};
