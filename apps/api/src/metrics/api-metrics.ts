import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DomainError } from '@app/domain';
import { IdempotencyKeyReusedError } from '@app/event-store';
import { createMetricsRegistry, HotHistogram, ReaderProgress, registerReaderProgress } from '@app/platform';
import { ProjectionEngine } from '@app/read-models';
import { BatchRolledBack, type CommandObserver, type Settled } from '../common/commands/command-executor';
import { ApiError } from '../common/http/api-errors';
import { KafkaRelayTransport, TRANSPORT, type Transport } from '../infrastructure.module';

/** Label of requests no route matched (404s, and answers given before routing: 413, 415): the raw path would be unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The refusal whose details list why the lot may not be sold (see the lot decider's SELL). */
const SALE_BLOCKED = 'SALE_BLOCKED';

const outcomeOf = (settled: Settled<unknown>): string => {
  if (settled.kind === 'legacy') return 'REPLAYED';
  if (settled.kind === 'executed') return settled.replayed ? 'REPLAYED' : 'OK';
  return settled.error instanceof IdempotencyKeyReusedError ? 'IDEMPOTENCY_KEY_REUSED' : settled.error.code;
};

/** The reason codes a SALE_BLOCKED refusal carries, each once. */
const saleBlockersOf = (error: DomainError): string[] => {
  const reasons = error.details?.['reasons'];
  if (!Array.isArray(reasons)) return [];
  const codes = reasons.map((r: unknown) => (r !== null && typeof r === 'object' ? (r as { code?: unknown }).code : undefined));
  return [...new Set(codes.filter((c): c is string => typeof c === 'string'))];
};

/**
 * The api's metrics, in a registry of its own (tests run several apps in one
 * process). They observe what the command executor, the access guard and the
 * HTTP layer did; nothing here decides anything.
 */
@Injectable()
export class ApiMetrics implements CommandObserver {
  readonly registry: Registry = createMetricsRegistry();

  // Observed once per request: a HotHistogram (prom-client's own observe was ~1.3 us of the retailer's read).
  private readonly httpDuration = new HotHistogram(
    'coldtrace_http_request_duration_seconds',
    'HTTP requests by route pattern, method and status: seconds from the first middleware to the last byte sent',
    ['method', 'route', 'status'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    [this.registry],
  );

  private readonly commands = new Counter({
    name: 'coldtrace_commands_total',
    help: 'Commands settled, by type and outcome: OK, REPLAYED (an idempotent retry), the refusal code, or ERROR',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });

  private readonly saleRefusals = new Counter({
    name: 'coldtrace_sale_refusals_total',
    help: 'SELL scans refused (SALE_BLOCKED), once per blocking reason code of each refusal',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  private readonly eventsAppended = new Counter({
    name: 'coldtrace_events_appended_total',
    help: 'Events appended to the event store by commands of this process, by stream type',
    labelNames: ['stream_type'],
    registers: [this.registry],
  });

  private readonly commits = new Counter({
    name: 'coldtrace_command_commits_total',
    help: 'Transactions of commands committed (group commit: concurrent commands share one)',
    registers: [this.registry],
  });

  private readonly committedCommands = new Counter({
    name: 'coldtrace_command_committed_commands_total',
    help: 'Commands settled by those transactions (over coldtrace_command_commits_total: commands per commit)',
    registers: [this.registry],
  });

  private readonly authRefusals = new Counter({
    name: 'coldtrace_auth_refusals_total',
    help: 'Requests the access guard refused, by code (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED)',
    labelNames: ['code'],
    registers: [this.registry],
  });

  constructor(@Inject(TRANSPORT) transport: Transport, @Inject(ProjectionEngine) engine: ProjectionEngine) {
    if (transport instanceof KafkaRelayTransport) {
      registerReaderProgress(this.registry, {
        prefix: 'coldtrace_relay',
        label: 'relay',
        what: 'Outbox relay to Kafka',
        // Not started yet while the broker is away: no series rather than a made-up position.
        read: async () => (transport.relay ? [{ name: 'kafka', ...(await transport.relay.subscription.progress()) }] : []),
      });
    } else {
      registerReaderProgress(this.registry, {
        prefix: 'coldtrace_projection',
        label: 'projection',
        what: 'In-process projection',
        read: () =>
          Promise.all(engine.projections.map(async (p): Promise<ReaderProgress> => ({ name: p.name, ...(await engine.subscription(p.name).progress()) }))),
      });
    }
  }

  settled(type: string, settled: Settled<unknown>): void {
    this.commands.inc({ type, outcome: outcomeOf(settled) });
    if (settled.kind === 'refused' && settled.error instanceof DomainError && settled.error.code === SALE_BLOCKED) {
      for (const reason of saleBlockersOf(settled.error)) this.saleRefusals.inc({ reason });
    }
  }

  failed(type: string, error: unknown): void {
    // A conflict retried to the end has a code of its own, so has a command an all-or-nothing batch did not record; anything else (the database, a bug) is an ERROR.
    this.commands.inc({ type, outcome: error instanceof ApiError ? error.code : error instanceof BatchRolledBack ? 'ROLLED_BACK' : 'ERROR' });
  }

  appended(streamType: string, events: number): void {
    this.eventsAppended.inc({ stream_type: streamType }, events);
  }

  committed(commands: number): void {
    this.commits.inc();
    this.committedCommands.inc(commands);
  }

  authRefused(code: string): void {
    this.authRefusals.inc({ code });
  }

  httpRequest(method: string, route: string | null, status: number, seconds: number): void {
    this.httpDuration.observe([method, route ?? UNMATCHED_ROUTE, String(status)], seconds);
  }
}
