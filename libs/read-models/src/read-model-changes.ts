import { Client } from 'pg';
import { EntityManager } from 'typeorm';
import { APPENDS_CHANNEL } from '@app/event-store';

/** The channel projections announce changed rows on; readers that cache rows listen to it. */
export const READ_MODEL_CHANNEL = 'coldtrace_read_models';

/** NOTIFY payloads stop at 8000 bytes: a longer list of keys says "everything" instead. */
const MAX_PAYLOAD = 7_900;

interface Announcement {
  readonly table: string;
  /** null: every row may have changed (a rebuild, a batch too large to name). */
  readonly keys: readonly string[] | null;
}

/**
 * Announces, in the writer's own transaction, which rows of a read model it
 * changed: PostgreSQL delivers the notification only if and when the
 * transaction commits, to every process listening (api replicas included,
 * whichever process projected).
 */
export const announceChanged = async (manager: EntityManager, table: string, keys: readonly string[] | null): Promise<void> => {
  if (keys !== null && keys.length === 0) return;
  const held = deferred.get(manager);
  if (held) held.push(payloadOf(table, keys));
  else await manager.query('SELECT pg_notify($1, $2)', [READ_MODEL_CHANNEL, payloadOf(table, keys)]);
};

const payloadOf = (table: string, keys: readonly string[] | null): string => {
  const full = JSON.stringify({ table, keys } satisfies Announcement);
  return full.length <= MAX_PAYLOAD ? full : JSON.stringify({ table, keys: null });
};

/** Announcements held per transaction (its manager) until sent together. */
const deferred = new WeakMap<EntityManager, string[]>();

/** From now on this transaction's announcements wait for sendAnnouncements: one statement for all. */
export const deferAnnouncements = (manager: EntityManager): void => {
  if (!deferred.has(manager)) deferred.set(manager, []);
};

export const sendAnnouncements = async (manager: EntityManager): Promise<void> => {
  const held = deferred.get(manager) ?? [];
  deferred.delete(manager);
  if (held.length === 0) return;
  await manager.query(`SELECT ${held.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ')}`, [READ_MODEL_CHANNEL, ...held]);
};

/**
 * Not a table: announced once by every batch a projection runner or the
 * Kafka projector commits, so `?atLeast=` waiters in any process look again.
 */
export const PROGRESS = 'projection_progress';

/** Announces that projections moved (in the projecting transaction: delivered at its commit). */
export const announceProgress = (manager: EntityManager): Promise<void> => announceChanged(manager, PROGRESS, null);

/** Told of each appending transaction's commit (its id), or null: appends may have been missed (the listener was down). */
export type AppendListener = (transactionId: string | null) => void;

export type ChangeListener = (keys: readonly string[] | null) => void;

export interface ChangesLogger {
  warn(message: string): void;
}

/**
 * Listens to the announcements on one dedicated connection. While it is not
 * listening (starting, or the connection was lost) it is not `live`, and
 * every subscriber is told "everything may have changed" when it goes down
 * and again once it listens anew: notifications sent meanwhile are lost.
 */
export class ReadModelChanges {
  private client: Client | null = null;
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private readonly appendListeners = new Set<AppendListener>();
  private stopped = false;
  private connecting: Promise<void> | null = null;
  live = false;

  constructor(
    private readonly connectionString: string,
    private readonly logger: ChangesLogger,
    private readonly retryMs = 1000,
  ) {}

  subscribe(table: string, listener: ChangeListener): void {
    const set = this.listeners.get(table) ?? new Set();
    set.add(listener);
    this.listeners.set(table, set);
  }

  /** Wakes on every committed append, from any process; resolves to a function that stops listening. */
  onAppended(listener: AppendListener): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  start(): Promise<void> {
    this.connecting = this.connect();
    return this.connecting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connecting;
    this.goneDown();
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    while (!this.stopped) {
      const client = new Client({ connectionString: this.connectionString });
      try {
        await client.connect();
        client.on('notification', (n) => (n.channel === APPENDS_CHANNEL ? this.appended(n.payload ?? null) : this.deliver(n.payload)));
        client.on('error', (e) => this.lost(client, e));
        client.on('end', () => this.lost(client, new Error('connection ended')));
        // One connection for both; the read models' LISTEN last, as the session's query that monitoring sees.
        await client.query(`LISTEN ${APPENDS_CHANNEL}`);
        await client.query(`LISTEN ${READ_MODEL_CHANNEL}`);
        this.client = client;
        this.live = true;
        this.tellAll(null);
        return;
      } catch (e) {
        await client.end().catch(() => undefined);
        this.logger.warn(`not listening for read-model changes (${(e as Error).message}); row caches stay off, retrying in ${this.retryMs} ms`);
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
  }

  private lost(client: Client, e: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.goneDown();
    if (this.stopped) return;
    this.logger.warn(`lost the read-model change listener (${e.message}); row caches off until it is back`);
    client.end().catch(() => undefined);
    this.connecting = this.connect();
  }

  private goneDown(): void {
    this.live = false;
    this.tellAll(null);
  }

  private deliver(payload: string | undefined): void {
    let a: Announcement;
    try {
      a = JSON.parse(payload ?? '') as Announcement;
    } catch {
      return this.tellAll(null);
    }
    for (const l of this.listeners.get(a.table) ?? []) l(a.keys);
  }

  private appended(transactionId: string | null): void {
    for (const l of this.appendListeners) l(transactionId);
  }

  private tellAll(keys: null): void {
    for (const set of this.listeners.values()) for (const l of set) l(keys);
    this.appended(null);
  }
}
