import {
  BeforeApplicationShutdown,
  DynamicModule,
  Logger,
  Module,
  OnApplicationBootstrap,
  Provider,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppendSignal, PostgresEventStore, signLegacyEvents, StateCache } from '@app/event-store';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka, ensureTopics, KafkaSettings, OutboxRelay, producerConfig } from '@app/messaging';
import { EventKeys, openOwnerConnection, openSigningKeys, runMigrationsLocked, withinMs } from '@app/platform';
import {
  BackgroundRebuilds,
  createInlineHandlers,
  createLotProjections,
  DocumentIndexReader,
  GenealogyReader,
  TemperatureLogStore,
  InboxProjector,
  ProjectionEngine,
  ReadModelChanges,
  settleRequestsWithNothingToReplay,
} from '@app/read-models';
import { COMMAND_LIMITS, CommandExecutor, CommandLimits } from './common/commands/command-executor';
import { ReadModelGate } from './common/queries/read-model-gate';
import { ProgressWaits, READ_PROGRESS } from './common/queries/read-progress';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG, EVENT_KEYS } from './config/config.tokens';

const MIGRATED = Symbol('MIGRATED');

/** Folded states the api keeps, commands and projections together: the hot lots of a day (a recall of 10,000 fits), a few kB each. */
const STATE_CACHE_SIZE = 20_000;

/** The migration step that needs the key: events written before signing get signed, once (see signLegacyEvents). */
const signWhatCameBefore = async (ds: DataSource, keys: EventKeys): Promise<void> => {
  const logger = new Logger('EventSigning');
  const started = Date.now();
  const done = await signLegacyEvents(ds, keys.signer);
  if (done.signed > 0) {
    logger.log(`signed ${done.signed} events written before events were signed (positions up to ${done.upTo}) with key ${keys.signer.signingKeyId} in ${Date.now() - started} ms`);
  }
  if (done.refused) logger.error(`events written before signing left unsigned: ${done.refused} (npm run audit:verify names them)`);
  for (const b of done.brokenStreams) {
    logger.error(`stream ${b.streamId} left unsigned from version ${b.fromVersion}: its hash chain does not hold there (npm run audit:verify names it)`);
  }
};

export const TRANSPORT = Symbol('TRANSPORT');

/** One part of readiness (GET /api/health/ready): down names why in its data. */
export interface ReadinessPart {
  readonly name: string;
  readonly up: boolean;
  readonly data: Record<string, unknown>;
}

/** What the read side is fed by; the health endpoints report it. */
export interface Transport {
  readonly mode: 'embedded' | 'kafka';
  health(): Promise<Record<string, unknown>>;
  /** Embedded: each projection running without a failing batch. Kafka: the broker answers and the relay publishes. */
  readiness(): Promise<ReadinessPart[]>;
}

/** How long the broker may take to answer readiness's probe. */
const BROKER_PROBE_TIMEOUT_MS = 2_000;

/** Embedded mode: the projections follow the event store in-process. */
class EmbeddedProjections implements Transport, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly mode = 'embedded';
  private readonly logger = new Logger('Projections');

  constructor(
    private readonly engine: ProjectionEngine,
    private readonly store: PostgresEventStore,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.engine.start(this.store.appended, { pollIntervalMs: this.config.projectionPollMs, retryDelayMs: 1000 }, this.logger);
    this.logger.log(`in-process projections running: ${this.engine.projections.map((p) => p.name).join(', ')}`);
  }

  // Before TypeORM closes its pool (that happens in onApplicationShutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }

  async health() {
    const workers = this.engine.health();
    const projections: Record<string, unknown> = {};
    for (const p of this.engine.projections) {
      const s = this.engine.subscription(p.name);
      projections[p.name] = { checkpoint: (await s.checkpoint()).globalPosition, ...(workers[s.id] ?? { running: false, lastError: null }) };
    }
    return { projections };
  }

  async readiness(): Promise<ReadinessPart[]> {
    const workers = this.engine.health();
    return this.engine.projections.map((p) => {
      const id = this.engine.subscription(p.name).id;
      const { running, lastError } = workers[id] ?? { running: false, lastError: null };
      return { name: id, up: running && lastError === null, data: { running, lastError } };
    });
  }
}

/**
 * Kafka mode: the outbox relay publishes every lot event; apps/projector keeps
 * the read models. Commands never wait for Kafka: if the broker is away the
 * relay retries and catches up when it returns.
 */
export class KafkaRelayTransport implements Transport, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly mode = 'kafka';
  private readonly logger = new Logger('OutboxRelay');
  relay: OutboxRelay | null = null;
  private kafka: Kafka | null = null;
  private admin: Admin | null = null;
  /** One broker probe at a time: a probe of an absent broker outlives readiness's timeout (kafkajs retries). */
  private probing: Promise<void> | null = null;
  private stopped = false;
  private starting: Promise<void> | null = null;
  private lastStartError: string | null = null;

  constructor(
    private readonly settings: KafkaSettings,
    private readonly store: PostgresEventStore,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = this.startWhenBrokerAnswers();
  }

  /** Resolves once the relay publishes (or the app stopped first). */
  ready(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  private async startWhenBrokerAnswers(): Promise<void> {
    const kafka = createKafka(this.settings, 'relay', this.logger);
    this.kafka = kafka;
    while (!this.stopped) {
      try {
        await ensureTopics(kafka, this.settings);
        this.relay = new OutboxRelay(this.store, this.dataSource, () => kafka.producer(producerConfig()), this.settings);
        this.relay.start(this.store.appended, { pollIntervalMs: this.config.projectionPollMs, retryDelayMs: 1000 }, this.logger);
        this.lastStartError = null;
        this.logger.log(`publishing lot events to ${this.settings.lotEventsTopic} on ${this.settings.brokers.join(',')}`);
        return;
      } catch (e) {
        this.lastStartError = (e as Error).message;
        // Readiness reports it (503 naming the broker and the relay); the relay catches up once the broker answers.
        this.logger.warn(`Kafka not ready (${this.lastStartError}); commands are still accepted, retrying in 2 s`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await this.relay?.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** Resolves once the broker answered a metadata request. */
  private probeBroker(): Promise<void> {
    this.probing ??= (async () => {
      if (!this.kafka) throw new Error('no Kafka client yet');
      if (!this.admin) {
        const admin = this.kafka.admin();
        await admin.connect();
        this.admin = admin;
      }
      try {
        await this.admin.describeCluster();
      } catch (e) {
        // Start over with a fresh connection next time: kafkajs may keep a dead one.
        const admin = this.admin;
        this.admin = null;
        await admin?.disconnect().catch(() => undefined);
        throw e;
      }
    })().finally(() => (this.probing = null));
    return this.probing;
  }

  async readiness(): Promise<ReadinessPart[]> {
    const started = Date.now();
    const broker: ReadinessPart = await withinMs(this.probeBroker(), BROKER_PROBE_TIMEOUT_MS).then(
      () => ({ name: 'broker', up: true, data: { brokers: this.settings.brokers, responseTime: Date.now() - started } }),
      (e: Error) => ({ name: 'broker', up: false, data: { brokers: this.settings.brokers, message: e.message } }),
    );
    const state = this.relay?.health ?? { running: false, lastError: this.lastStartError ?? 'not started yet' };
    return [broker, { name: 'relay', up: state.running && state.lastError === null, data: { ...state } }];
  }

  async health() {
    const checkpoint = this.relay ? (await this.relay.subscription.checkpoint()).globalPosition : 0;
    return {
      relay: { checkpoint, ...(this.relay?.health ?? { running: false, lastError: this.lastStartError }) },
      topic: this.settings.lotEventsTopic,
    };
  }
}

/** Listens for read-model changes from start to shutdown, for the row caches (see RowCache). */
class ChangeListening implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly changes: ReadModelChanges) {}

  onApplicationBootstrap(): Promise<void> {
    return this.changes.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.changes.stop();
  }
}

@Module({})
export class InfrastructureModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    const kafka = config.kafka;
    const transport: Provider = kafka
      ? {
          provide: TRANSPORT,
          inject: [PostgresEventStore, getDataSourceToken()],
          useFactory: (store: PostgresEventStore, ds: DataSource) => new KafkaRelayTransport(kafka, store, ds, config),
        }
      : {
          provide: TRANSPORT,
          inject: [ProjectionEngine, PostgresEventStore],
          useFactory: (engine: ProjectionEngine, store: PostgresEventStore) => new EmbeddedProjections(engine, store, config),
        };
    const readProgress: Provider = kafka
      ? {
          provide: READ_PROGRESS,
          inject: [InboxProjector, ReadModelChanges],
          useFactory: (inbox: InboxProjector, changes: ReadModelChanges) => new ProgressWaits((_p, position) => inbox.hasProcessed(position), changes, null),
        }
      : {
          provide: READ_PROGRESS,
          inject: [ProjectionEngine, ReadModelChanges],
          useFactory: (engine: ProjectionEngine, changes: ReadModelChanges) =>
            new ProgressWaits((projection, position) => engine.subscription(projection).hasProcessed(position), changes, engine.runner),
        };
    return {
      module: InfrastructureModule,
      global: true,
      providers: [
        // A missing or unreadable key stops the start, naming EVENT_SIGNING_KEY_FILE, before any migration (MIGRATED waits for it).
        { provide: EVENT_KEYS, useFactory: () => openSigningKeys(config.eventSigningKey, new Logger('EventSigning')) },
        // As the schema owner when MIGRATIONS_DATABASE_URL is set; the pool itself is DATABASE_URL's runtime role.
        {
          provide: MIGRATED,
          inject: [getDataSourceToken(), EVENT_KEYS],
          useFactory: async (ds: DataSource, keys: EventKeys) => {
            await runMigrationsLocked(ds, config.migrationsDatabaseUrl ?? null);
            // Before credentials load and rebuilds replay: both read signatures.
            await signWhatCameBefore(ds, keys);
            await settleRequestsWithNothingToReplay(ds);
          },
        },
        {
          provide: PostgresEventStore,
          inject: [getDataSourceToken(), EVENT_KEYS, MIGRATED],
          useFactory: (ds: DataSource, keys: EventKeys) =>
            new PostgresEventStore(
              ds,
              new AppendSignal(),
              createInlineHandlers(),
              keys.signer,
            ),
        },
        { provide: GenealogyReader, inject: [getDataSourceToken()], useFactory: (ds: DataSource) => new GenealogyReader(ds) },
        { provide: TemperatureLogStore, inject: [getDataSourceToken()], useFactory: (ds: DataSource) => new TemperatureLogStore(ds) },
        { provide: DocumentIndexReader, inject: [getDataSourceToken()], useFactory: (ds: DataSource) => new DocumentIndexReader(ds) },
        { provide: StateCache, useFactory: () => new StateCache(STATE_CACHE_SIZE) },
        {
          provide: ProjectionEngine,
          inject: [PostgresEventStore, getDataSourceToken(), StateCache, ReadModelChanges],
          useFactory: (store: PostgresEventStore, ds: DataSource, states: StateCache, changes: ReadModelChanges) =>
            new ProjectionEngine(createLotProjections(states), store, ds, changes),
        },
        {
          provide: InboxProjector,
          inject: [getDataSourceToken(), StateCache, MIGRATED],
          useFactory: (ds: DataSource, states: StateCache) => new InboxProjector(createLotProjections(states), ds),
        },
        { provide: ReadModelChanges, useFactory: () => new ReadModelChanges(config.databaseUrl, new Logger('ReadModelChanges')) },
        { provide: ChangeListening, inject: [ReadModelChanges, MIGRATED], useFactory: (changes: ReadModelChanges) => new ChangeListening(changes) },
        // The rebuilds migrations asked for: in the background once the service is up, never before it serves.
        {
          provide: BackgroundRebuilds,
          inject: [getDataSourceToken(), MIGRATED],
          useFactory: (ds: DataSource) => new BackgroundRebuilds(ds, () => openOwnerConnection(ds, config.migrationsDatabaseUrl ?? null)),
        },
        transport,
        readProgress,
        { provide: COMMAND_LIMITS, useValue: { deadlineMs: config.commandDeadlineMs, statementTimeoutMs: config.statementTimeoutMs } satisfies CommandLimits },
        CommandExecutor,
        ReadModelGate,
      ],
      exports: [EVENT_KEYS, ReadModelChanges, StateCache, PostgresEventStore, ProjectionEngine, InboxProjector, GenealogyReader, TemperatureLogStore, DocumentIndexReader, CommandExecutor, ReadModelGate, TRANSPORT],
    };
  }
}
