import { isIP } from 'node:net';
import { DEFAULT_TIME_POLICY, TemperatureRules, TimePolicy } from '@app/domain';
import { envTemperatureRules } from './temperature-config';
import { KafkaSettings, kafkaSettingsFromEnv } from '@app/messaging';
import {
  ConfigError,
  DatabaseSettings,
  DEFAULT_COMMAND_DEADLINE_MS,
  envDatabase,
  envEventSigningKey,
  envInt,
  envLogFormat,
  envLogLevels,
  envMetricsToken,
  envNumber,
  envShutdownGraceMs,
  LogFormat,
  LogLevel,
  SigningKeySettings,
} from '@app/platform';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../subscriptions/webhook-retry';
import { parseCidr, type TargetPolicy } from '../subscriptions/webhook-target';

/** Everything the api reads from its environment, parsed once at start-up. */
export interface AppConfig extends DatabaseSettings {
  readonly port: number;
  readonly host: string;
  /** How long `?atLeast=` waits for a read model before answering 503. */
  readonly readWaitTimeoutMs: number;
  /**
   * `COMMAND_DEADLINE_MS`: how long a command may wait on the database in all
   * (its turn on a lot, a connection, locks, statements, retries) before 503
   * DATABASE_UNAVAILABLE; 0 = no limit.
   */
  readonly commandDeadlineMs: number;
  /** Idle poll of the in-process subscriptions (they are also woken by every local append). */
  readonly projectionPollMs: number;
  readonly logLevels: LogLevel[];
  /** `LOG_FORMAT`: JSON lines, or `pretty` for a terminal. */
  readonly logFormat: LogFormat;
  /** null = embedded mode: projections run in-process. Set = the relay publishes, apps/projector projects. */
  readonly kafka: KafkaSettings | null;
  /** The cold-chain rules per category: a scan's temperature and every temperature log are judged against them. */
  readonly temperatureRules: TemperatureRules;
  /** How long before a lot's entry its documents and scans may be dated (else 422 OCCURRED_BEFORE_ENTRY). */
  readonly timePolicy: TimePolicy;
  /** An ADMIN credential from the environment (automation, compose); null = keys only. */
  readonly adminToken: string | null;
  /** `METRICS_TOKEN`: a bearer token GET /metrics asks for; null = open (keep it off the public network then). */
  readonly metricsToken: string | null;
  /** How often each process re-reads changed credentials: a revocation takes effect within this. */
  readonly authRefreshMs: number;
  /** Requests per client address per minute on the public routes. */
  readonly publicRateLimitPerMinute: number;
  /** `LOT_NOT_FOUND_PER_MINUTE`: LOT_NOT_FOUND answers a key's writes may get per minute before its writes answer 429. */
  readonly lotNotFoundPerMinute: number;
  /** `AUTH_FAILURE_LIMIT_PER_MINUTE`: failed authentications per client address per minute before 429 (see FailedAuthLimit). */
  readonly authFailureLimitPerMinute: number;
  /** Origins allowed to call the API from a browser; empty = CORS off. */
  readonly corsOrigins: string[];
  /**
   * `TRUST_PROXY`, Fastify's `trustProxy` (configureApp): how many proxies stand in front
   * (a hop count), or which addresses are proxies (addresses, CIDRs, or
   * proxy-addr's `loopback`, `linklocal`, `uniquelocal`); null = none, the peer
   * is the client. Rate limits count the client this names.
   */
  readonly trustProxy: TrustProxy | null;
  /** `EPCIS_TIME_ZONE_OFFSET` (default `+08:00`, China Standard Time): the offset event times are shown in (EPCIS `eventTimeZoneOffset`, spreadsheets). */
  readonly epcisTimeZoneOffset: string;
  /** `PUBLIC_BASE_URL`: where shoppers reach this service (`https://trace.example.com`); the code on a pack points at `<it>/t/<traceCode>`. */
  readonly publicBaseUrl: string;
  /**
   * `DIGITAL_LINK_BASE` (default `https://id.gs1.org`): the resolver an EPCIS export names a lot
   * with a GTIN at when asked for GS1 Digital Links (`<it>/01/<gtin>/10/<traceCode>`).
   */
  readonly digitalLinkBase: string;
  /**
   * `EVENT_SIGNING_KEY_FILE`: the Ed25519 key every event is signed with, kept outside the database
   * (required with DATABASE_URL; the embedded database's default DATA_DIR/event-signing.key is made on first start).
   */
  readonly eventSigningKey: SigningKeySettings;
  /** `SHUTDOWN_GRACE_MS`: after SIGTERM the process exits within this, whatever is still in flight. */
  readonly shutdownGraceMs: number;
  /** Where webhooks may go and how they are retried (WEBHOOK_*). */
  readonly webhooks: WebhookSettings;
  /** EPCIS capture jobs (EPCIS_CAPTURE_*). */
  readonly epcisCapture: EpcisCaptureSettings;
  /** Set by main.ts when it runs on the embedded PostgreSQL (a development setup, its superuser). */
  readonly embeddedDatabase?: boolean;
}

export interface EpcisCaptureSettings {
  /** `EPCIS_CAPTURE_INLINE_EVENTS` (default 1000): a document of more events is answered at once and captured in the background. */
  readonly inlineEvents: number;
  /** `EPCIS_CAPTURE_LEASE_MS` (default 30 s): a background job whose process stopped renewing it this long is resumed by another. */
  readonly leaseMs: number;
}

export interface WebhookSettings extends TargetPolicy {
  readonly retry: RetryPolicy;
  /** How long one delivery attempt may take, connection to the answer's end. */
  readonly timeoutMs: number;
}

/** `WEBHOOK_ALLOW_HTTP` is true or false (unset: false); anything else stops the start rather than being read as one of them. */
const envFlag = (env: NodeJS.ProcessEnv, name: string): boolean => {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false (got ${JSON.stringify(env[name])})`);
};

const webhookSettings = (env: NodeJS.ProcessEnv): WebhookSettings => {
  const allowPrivate = list(env.WEBHOOK_ALLOW_PRIVATE);
  for (const entry of allowPrivate) {
    const cidr = parseCidr(entry);
    if (typeof cidr === 'string') throw new ConfigError(`WEBHOOK_ALLOW_PRIVATE must be comma-separated CIDR ranges; ${cidr}`);
  }
  const retry = {
    minMs: envInt(env, 'WEBHOOK_RETRY_MIN_MS', DEFAULT_RETRY_POLICY.minMs, 1),
    maxMs: envInt(env, 'WEBHOOK_RETRY_MAX_MS', DEFAULT_RETRY_POLICY.maxMs, 1),
    forMs: envInt(env, 'WEBHOOK_RETRY_FOR_MS', DEFAULT_RETRY_POLICY.forMs, 0),
  };
  if (retry.maxMs < retry.minMs) throw new ConfigError(`WEBHOOK_RETRY_MAX_MS (${retry.maxMs}) must be at least WEBHOOK_RETRY_MIN_MS (${retry.minMs})`);
  return { allowHttp: envFlag(env, 'WEBHOOK_ALLOW_HTTP'), allowPrivate, retry, timeoutMs: 5_000 };
};

/** A hop count (>= 1), or the addresses and subnets of the proxies. */
export type TrustProxy = number | readonly string[];

const list = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `+HH:MM` or `-HH:MM` (-14:00 to +14:00), as ISO 8601 and EPCIS write offsets; anything else stops the start. */
const timeZoneOffset = (raw: string): string => {
  if (!/^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/.test(raw)) throw new ConfigError(`EPCIS_TIME_ZONE_OFFSET must look like +08:00 (got ${JSON.stringify(raw)})`);
  return raw;
};

/** proxy-addr's names (Fastify's trustProxy reads them) for the loopback, link-local and unique-local subnets. */
const NAMED_SUBNETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR with a prefix (not /0, which is everyone), or a named subnet; else why not. */
const proxyAddressProblem = (entry: string): string | null => {
  if (NAMED_SUBNETS.has(entry)) return null;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return `${JSON.stringify(entry)} is not an address or CIDR`;
  if (prefix === undefined) return null;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  if (bits < 0 || bits > (version === 4 ? 32 : 128)) return `${JSON.stringify(entry)} has no valid prefix length`;
  if (bits === 0) return `${JSON.stringify(entry)} would trust every address, so any client could write its own X-Forwarded-For`;
  return null;
};

const TRUST_PROXY_FORMS = 'a hop count (1 for one reverse proxy in front) or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.5,10.1.0.0/16, or loopback)';

/**
 * `TRUST_PROXY`: Fastify would also take `true`, which believes the left-most
 * X-Forwarded-For address, one any client writes itself: every rate limit
 * counted per address would then be a new address per request. Only forms
 * that name which hops to believe are accepted; anything else stops the start.
 */
const trustProxy = (raw: string | undefined): TrustProxy | null => {
  if (raw === undefined || raw.trim() === '') return null;
  const value = raw.trim();
  const refuse = (why: string) => new ConfigError(`TRUST_PROXY must be ${TRUST_PROXY_FORMS}; ${why} (got ${JSON.stringify(raw)})`);
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || !Number.isSafeInteger(hops)) throw refuse('0 trusts no proxy: leave it unset instead');
    return hops;
  }
  if (/^(true|false|yes|no|on|off)$/i.test(value)) {
    throw refuse(/^(true|yes|on)$/i.test(value) ? 'true would believe any X-Forwarded-For a client writes itself' : 'to trust no proxy, leave it unset');
  }
  const entries = value.split(',').map((s) => s.trim());
  for (const entry of entries) {
    const problem = entry === '' ? 'an entry is empty' : proxyAddressProblem(entry);
    if (problem) throw refuse(problem);
  }
  return entries;
};

/**
 * An http(s) origin, optionally with a path, without a trailing slash, query or
 * fragment: printed codes are forever, so a malformed one must stop the start.
 */
const baseUrl = (name: string, raw: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL (got ${JSON.stringify(raw)})`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password || raw.endsWith('/')) {
    throw new ConfigError(`${name} must be an http(s) URL with no trailing slash, query, fragment or credentials (got ${JSON.stringify(raw)})`);
  }
  return raw;
};

/** GS1's global resolver: a GS1 Digital Link there is understood by every GS1 tool. */
export const DEFAULT_DIGITAL_LINK_BASE = 'https://id.gs1.org';

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const adminToken = env.ADMIN_TOKEN || null;
  if (adminToken !== null && adminToken.length < 32) throw new ConfigError('ADMIN_TOKEN must be at least 32 characters (use a random secret)');
  const port = envInt(env, 'PORT', 3000, 0);
  return {
    ...envDatabase(env),
    port,
    host: env.HOST || '0.0.0.0',
    readWaitTimeoutMs: envInt(env, 'READ_WAIT_TIMEOUT_MS', 5000, 0),
    commandDeadlineMs: envInt(env, 'COMMAND_DEADLINE_MS', DEFAULT_COMMAND_DEADLINE_MS, 0),
    projectionPollMs: envInt(env, 'PROJECTION_POLL_MS', 500, 10),
    logLevels: envLogLevels(env),
    // A person at a terminal reads pretty lines; the process's own environment only (a test's config is JSON).
    logFormat: envLogFormat(env, env === process.env && process.stdout.isTTY === true),
    kafka: kafkaSettingsFromEnv(env),
    temperatureRules: envTemperatureRules(env),
    timePolicy: {
      documentToleranceMs: envNumber(env, 'DOCUMENT_DATE_TOLERANCE_DAYS', DEFAULT_TIME_POLICY.documentToleranceMs / 86_400_000) * 86_400_000,
      scanToleranceMs: envNumber(env, 'SCAN_DATE_TOLERANCE_MINUTES', DEFAULT_TIME_POLICY.scanToleranceMs / 60_000) * 60_000,
    },
    adminToken,
    metricsToken: envMetricsToken(env),
    authRefreshMs: envInt(env, 'AUTH_REFRESH_MS', 250, 10),
    publicRateLimitPerMinute: envInt(env, 'PUBLIC_RATE_LIMIT_PER_MINUTE', 60, 1),
    lotNotFoundPerMinute: envInt(env, 'LOT_NOT_FOUND_PER_MINUTE', 120, 1),
    authFailureLimitPerMinute: envInt(env, 'AUTH_FAILURE_LIMIT_PER_MINUTE', 30, 1),
    corsOrigins: list(env.CORS_ORIGINS),
    trustProxy: trustProxy(env.TRUST_PROXY),
    epcisTimeZoneOffset: timeZoneOffset(env.EPCIS_TIME_ZONE_OFFSET || '+08:00'),
    publicBaseUrl: baseUrl('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL || `http://localhost:${port}`),
    digitalLinkBase: baseUrl('DIGITAL_LINK_BASE', env.DIGITAL_LINK_BASE || DEFAULT_DIGITAL_LINK_BASE),
    eventSigningKey: envEventSigningKey(env),
    shutdownGraceMs: envShutdownGraceMs(env),
    webhooks: webhookSettings(env),
    epcisCapture: { inlineEvents: envInt(env, 'EPCIS_CAPTURE_INLINE_EVENTS', 1000, 0), leaseMs: envInt(env, 'EPCIS_CAPTURE_LEASE_MS', 30_000, 1000) },
  };
};
