import { DataSource } from 'typeorm';
import { APPEND_LOCK, APPENDS_CHANNEL, CheckpointedSubscription, EventLogAudit, NewEvent, PostgresEventStore, StoredEvent, StreamAppend, WrongExpectedVersionError } from '@app/event-store';
import { EventKeys } from '@app/platform';
import { createInlineProjections } from '@app/read-models';
import { throwawayKeys } from './support/signing';
import { appendToStream, StreamAppendOptions } from './support/stream-append';
import { createTestDataSource } from './support/test-data-source';

const event = (n: number): NewEvent => ({ type: 'TestHappened', schemaVersion: 1, data: { n } });

/** The cursor architecture.md warns about: "everything with a position above the last one I saw". */
class NaivePositionCursor {
  private last = 0;
  readonly seen: number[] = [];
  constructor(private readonly dataSource: DataSource) {}
  async poll(): Promise<void> {
    const rows: { global_position: string }[] = await this.dataSource.query(
      `SELECT global_position FROM events WHERE global_position > $1 ORDER BY global_position`,
      [this.last],
    );
    for (const r of rows) {
      this.seen.push(Number(r.global_position));
      this.last = Number(r.global_position);
    }
  }
}

describe('PostgreSQL event store (integration, real PostgreSQL)', () => {
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let keys: EventKeys;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await createTestDataSource());
    keys = throwawayKeys();
    store = new PostgresEventStore(dataSource, undefined, undefined, keys.signer);
  });
  const append = <T>(streamId: string, events: NewEvent[], options: StreamAppendOptions<T>) => appendToStream(dataSource, store, streamId, events, options);
  afterAll(async () => {
    await close();
  });

  it('ordered subscription never skips an event committed late by a concurrent transaction (a naive position cursor does)', async () => {
    const seen: StoredEvent[] = [];
    const subscription = new CheckpointedSubscription('test:ordered', store, dataSource, async (events) => {
      seen.push(...events);
    });
    const naive = new NaivePositionCursor(dataSource);
    await naive.poll();
    await subscription.catchUp();

    // Transaction A takes the lower position but stays open...
    const slow = dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    const early = await appendToStream(slow.manager, store, 'stream-slow', [event(1)], { streamType: 'test', expectedVersion: 0 });
    // ...while B takes a higher position and commits first.
    const late = await append('stream-fast', [event(2)], { streamType: 'test', expectedVersion: 0 });
    if (early.kind !== 'appended' || late.kind !== 'appended') throw new Error('expected appends');
    const lowPosition = early.result.position;
    const highPosition = late.result.position;
    expect(lowPosition).toBeLessThan(highPosition);

    await naive.poll();
    await subscription.catchUp();
    expect(naive.seen).toEqual([highPosition]); // the naive cursor has already moved past lowPosition
    expect(seen).toEqual([]); // ours waits: A is still running below B

    await slow.commitTransaction();
    await slow.release();

    await naive.poll();
    await subscription.catchUp();
    expect(naive.seen).not.toContain(lowPosition); // skipped for ever
    expect(seen.map((e) => e.globalPosition)).toEqual([lowPosition, highPosition]);
    expect(await subscription.hasProcessed(lowPosition)).toBe(true);
    expect(await subscription.hasProcessed(highPosition)).toBe(true);
  });

  it('is not held back by transactions that append nothing: one in another database, one here that only reads and writes elsewhere', async () => {
    const seen: number[] = [];
    const subscription = new CheckpointedSubscription('test:unrelated', store, dataSource, async (events) => {
      seen.push(...events.map((e) => e.globalPosition));
    });
    await subscription.catchUp();
    seen.length = 0;

    // An old transaction with an id in another database of the same server (a report, a migration, anything)...
    const elsewhere = await createTestDataSource();
    const other = elsewhere.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`SELECT pg_current_xact_id()`);
    // ...and one in this database that holds an id without appending events.
    const here = dataSource.createQueryRunner();
    await here.connect();
    await here.startTransaction();
    await here.query(`SELECT pg_current_xact_id()`);
    try {
      const appended = await append('stream-unrelated', [event(3)], { streamType: 'test', expectedVersion: 0 });
      if (appended.kind !== 'appended') throw new Error('expected an append');
      await subscription.catchUp();
      expect(seen).toEqual([appended.result.position]);
      expect(await subscription.hasProcessed(appended.result.position)).toBe(true);
    } finally {
      await here.rollbackTransaction();
      await here.release();
      await other.rollbackTransaction();
      await other.release();
      await elsewhere.close();
    }
  });

  it('an append that has taken the lock but written nothing yet holds nothing back; once it writes, what commits after it waits for it', async () => {
    const seen: number[] = [];
    const subscription = new CheckpointedSubscription('test:lock-first', store, dataSource, async (events) => {
      seen.push(...events.map((e) => e.globalPosition));
    });
    await subscription.catchUp();
    seen.length = 0;
    const slow = dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      await slow.query('SELECT pg_advisory_xact_lock_shared($1)', [APPEND_LOCK]);
      const first = await append('stream-lock-first-a', [event(4)], { streamType: 'test', expectedVersion: 0 });
      if (first.kind !== 'appended') throw new Error('expected an append');
      await subscription.catchUp();
      expect(seen).toEqual([first.result.position]);

      const early = await appendToStream(slow.manager, store, 'stream-lock-first-b', [event(5)], { streamType: 'test', expectedVersion: 0 });
      const later = await append('stream-lock-first-c', [event(6)], { streamType: 'test', expectedVersion: 0 });
      if (early.kind !== 'appended' || later.kind !== 'appended') throw new Error('expected appends');
      await subscription.catchUp();
      expect(seen).toEqual([first.result.position]);
      await slow.commitTransaction();
      await subscription.catchUp();
      expect(seen).toEqual([first.result.position, early.result.position, later.result.position]);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
  });

  it('reads in transaction-id order as numbers, across a digit boundary (99 before 100)', async () => {
    // Ids below any live one, written as an old cluster would have: as text, '100' sorts before '99'.
    await dataSource.query(`INSERT INTO event_streams (stream_id, stream_type, version, head_hash) VALUES ('stream-xid-digits', 'test', 2, decode(repeat('00', 32), 'hex'))`);
    for (const [xid, version] of [['100', 2], ['99', 1]] as const) {
      await dataSource.query(
        `INSERT INTO events (transaction_id, event_id, stream_id, stream_version, type, schema_version, data, occurred_at, hash)
         VALUES ($1::xid8, gen_random_uuid(), 'stream-xid-digits', $2, 'TestHappened', 1, '{}', now(), decode(repeat('00', 32), 'hex'))`,
        [xid, version],
      );
    }
    const read = await store.readAfter({ transactionId: '98', globalPosition: 0 }, 2);
    expect(read.map((e) => [e.streamId, e.transactionId])).toEqual([
      ['stream-xid-digits', '99'],
      ['stream-xid-digits', '100'],
    ]);
  });

  it('delivers every event exactly once across many concurrent writers', async () => {
    const seen: number[] = [];
    const subscription = new CheckpointedSubscription('test:many', store, dataSource, async (events) => {
      seen.push(...events.map((e) => e.globalPosition));
    }, 7);
    const before = await store.headPosition();
    const pump = (async () => {
      for (let i = 0; i < 40; i++) await subscription.processBatch();
    })();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => append(`stream-many-${i}`, [event(i), event(i + 100)], { streamType: 'test', expectedVersion: 0 })),
    );
    await pump;
    await subscription.catchUp();
    const fromHere = seen.filter((p) => p > before);
    expect(fromHere).toHaveLength(60);
    expect(new Set(fromHere).size).toBe(60);
  });

  it('refuses an append at a stale expected version and keeps versions contiguous', async () => {
    await append('stream-occ', [event(1)], { streamType: 'test', expectedVersion: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => append('stream-occ', [event(i)], { streamType: 'test', expectedVersion: 1 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(4);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(WrongExpectedVersionError);
    const slice = await store.readStream('stream-occ');
    expect(slice.events.map((e) => e.version)).toEqual([1, 2]);
    await expect(append('stream-occ', [event(9)], { streamType: 'test', expectedVersion: 0 })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
  });

  it('records one answer per idempotency key even when the same command races itself', async () => {
    const attempt = () =>
      append('stream-idem', [event(1)], {
        streamType: 'test',
        expectedVersion: 0,
        idempotency: { key: 'k-1', requestHash: 'h', record: (r) => ({ position: r.position }) },
      }).catch((e: unknown) => e);
    const outcomes = await Promise.all([attempt(), attempt(), attempt()]);
    const answers = outcomes.map((o) => {
      if (o instanceof WrongExpectedVersionError) return 'conflict';
      return (o as { recorded?: unknown }).recorded;
    });
    // Exactly one append happened; the others either replayed its answer or lost the version race.
    expect((await store.readStream('stream-idem')).events).toHaveLength(1);
    const stored = (await store.findRecordedMany(['k-1'])).get('k-1')?.result;
    expect(stored).toEqual({ position: expect.any(Number) });
    for (const a of answers) if (a !== 'conflict') expect(a).toEqual(stored);
  });

  it('a 1000-event append over 300 streams, new and existing, with events for every inline projection: 6 statements, counted on the pg connection', async () => {
    const inline = new PostgresEventStore(dataSource, undefined, createInlineProjections().map((p) => (events, manager) => p.apply(events, manager)), keys.signer);
    const at = new Date().toISOString();
    const existing = Array.from({ length: 100 }, (_, i) => `lot-COUNT-OLD-${i}`);
    await dataSource.transaction((m) => inline.appendStreams(m, existing.map((streamId) => ({ streamId, streamType: 'lot', expectedVersion: 0, events: [event(0)] }))));
    const derived = (i: number): NewEvent => ({
      type: 'LotDerived',
      schemaVersion: 3,
      data: { kind: 'SPLIT', operationId: `op-${i}`, traceCode: `COUNT-NEW-${i}`, parents: [{ traceCode: `COUNT-OLD-${i % 100}`, quantity: 1 }], occurredAt: at },
    });
    const document = (i: number): NewEvent => ({
      type: 'DocumentAttached',
      schemaVersion: 2,
      data: { document: { type: 'CUSTOMS_DECLARATION', issuer: 'Customs', number: `D-${i}` }, attachedAt: at, source: null },
    });
    const sighted = (i: number): NewEvent => ({
      type: 'LotSighted',
      schemaVersion: 1,
      data: { sightingId: `S-${i}`, traceCode: `COUNT-OLD-${i}`, facilityId: 'PORT-1', facilityType: 'PORT_OF_ENTRY', occurredAt: at, note: '', reportedAt: at },
    });
    // 100 existing lots get 4 events each, 199 new ones 3, a new sighting stream 3: 1000 events, some of each inline projection's type.
    const appends: StreamAppend[] = [
      ...existing.map((streamId, i) => ({ streamId, streamType: 'lot', expectedVersion: 1, events: [event(i), document(i), event(i), event(i)] })),
      ...Array.from({ length: 199 }, (_, i) => ({ streamId: `lot-COUNT-NEW-${i}`, streamType: 'lot', expectedVersion: 0, events: [derived(i), event(i), event(i)] })),
      { streamId: 'sighting-COUNT', streamType: 'sighting', expectedVersion: 0, events: [sighted(0), sighted(1), sighted(2)] },
    ];
    expect(appends.reduce((n, a) => n + a.events.length, 0)).toBe(1000);

    const runner = dataSource.createQueryRunner();
    // The pooled pg client itself: every statement TypeORM sends for this transaction goes through its query().
    const client = (await runner.connect()) as { query: (...args: unknown[]) => unknown };
    const statements: string[] = [];
    const query = client.query;
    client.query = function (this: unknown, ...args: unknown[]) {
      statements.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: unknown }).text));
      return query.apply(this, args);
    };
    try {
      await runner.startTransaction();
      const locked = await inline.lockStreams(appends.map((a) => a.streamId), runner.manager);
      const appended = await inline.appendStreams(runner.manager, appends, locked);
      await inline.recordResults(runner.manager, appends.map((a, i) => ({ key: `count-${i}`, requestHash: 'h', streamId: a.streamId, result: { position: appended.position } })));
      await runner.commitTransaction();
    } finally {
      client.query = query;
      await runner.release();
    }
    // BEGIN, the lock, the append, lot_links, lot_documents, sightings, the results, COMMIT.
    expect(statements.map((sql) => sql.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'START TRANSACTION',
      'SELECT s.stream_id,',
      'WITH s',
      'INSERT INTO',
      'INSERT INTO',
      'INSERT INTO',
      'INSERT INTO',
      'COMMIT',
    ]);
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM events WHERE stream_id LIKE 'lot-COUNT-%' OR stream_id = 'sighting-COUNT'`))[0].n)).toBe(1100);
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM lot_links WHERE child_trace_code LIKE 'COUNT-NEW-%'`))[0].n)).toBe(199);
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM lot_documents WHERE trace_code LIKE 'COUNT-OLD-%'`))[0].n)).toBe(100);
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM sightings WHERE sighting_id LIKE 'S-%'`))[0].n)).toBe(3);
    // Every chain written in the one statement verifies, signatures and all.
    const audit = new EventLogAudit(dataSource, keys.ring);
    for (const id of ['lot-COUNT-OLD-0', 'lot-COUNT-OLD-99', 'lot-COUNT-NEW-0', 'lot-COUNT-NEW-198', 'sighting-COUNT']) {
      expect(await audit.verifyStream(id)).toMatchObject({ streamId: id, valid: true });
    }
  });

  it('a large append (a recall of thousands of lots) writes events, streams and signatures that read back and verify as the one-statement append writes them', async () => {
    const existing = Array.from({ length: 1_200 }, (_, i) => `lot-LARGE-OLD-${i}`);
    await store.appendMany(existing.map((streamId) => ({ streamId, streamType: 'lot', expectedVersion: 0, events: [event(0)] })));
    const metadata = { actor: { role: 'REGULATOR', name: 'inspector', keyId: 'k-9' }, requestId: 'r-1', causationId: 'c-1' };
    const recalled = (i: number): NewEvent => ({
      type: 'LotRecalled',
      schemaVersion: 1,
      // A newline, quotes and backslashes in the data and in a stream id: each column travels as one text.
      data: { recallId: 'R-LARGE', origin: 'LARGE-OLD-0', reason: i === 5 ? 'a line\nand "another", \\ {x}' : `test ${i}`, nested: { z: 1, a: [i, null] } },
      metadata,
      occurredAt: '2026-11-20T08:00:00.123456Z',
    });
    // Existing streams get one or two events, new ones one each; one event carries metadata of its own.
    const appends: StreamAppend[] = [
      ...existing.map((streamId, i) => ({ streamId, streamType: 'lot', expectedVersion: 1, events: i % 2 ? [recalled(i), recalled(i + 1)] : [recalled(i)] })),
      ...Array.from({ length: 500 }, (_, i) => ({ streamId: i === 9 ? 'lot-LARGE-NEW-"9", \\ {x}' : `lot-LARGE-NEW-${i}`, streamType: 'lot', expectedVersion: 0, events: [i === 7 ? { ...event(i), metadata: { requestId: 'own' } } : recalled(i)] })),
    ];
    const size = appends.reduce((n, a) => n + a.events.length, 0);
    expect(size).toBeGreaterThanOrEqual(2_000);
    // Runners in other processes hear of it as of any append: its transaction's id on APPENDS_CHANNEL.
    const listener = dataSource.createQueryRunner();
    const heard: string[] = [];
    const client = (await listener.connect()) as { on(event: 'notification', f: (n: { channel: string; payload?: string }) => void): void };
    client.on('notification', (n) => n.channel === APPENDS_CHANNEL && heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${APPENDS_CHANNEL}`);
    const { result } = await store.appendMany(appends);
    for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await listener.release();
    expect(heard).toEqual([result.events[0].transactionId]);
    expect(result.events).toHaveLength(size);
    expect(result.events.map((e) => e.globalPosition)).toEqual([...result.events.map((e) => e.globalPosition)].sort((a, b) => a - b));
    // What the append answers is what a reader gets back, signature and all.
    for (const id of ['lot-LARGE-OLD-0', 'lot-LARGE-OLD-1', 'lot-LARGE-OLD-5', 'lot-LARGE-NEW-5', 'lot-LARGE-NEW-7', 'lot-LARGE-NEW-"9", \\ {x}', 'lot-LARGE-NEW-499']) {
      const read = await store.readStream(id);
      const answered = result.events.filter((e) => e.streamId === id);
      expect(read.events.slice(-answered.length)).toEqual(answered);
      expect(result.streams.find((s) => s.streamId === id)?.nextVersion).toBe(read.version);
    }
    expect((await store.readStream('lot-LARGE-NEW-7')).events[0].metadata).toEqual({ requestId: 'own' });
    expect((await store.readStream('lot-LARGE-OLD-3')).events[2].metadata).toEqual(metadata);
    expect((await store.readStream('lot-LARGE-NEW-5')).events[0].data).toMatchObject({ reason: 'a line\nand "another", \\ {x}' });
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM event_signatures g JOIN events e USING (global_position) WHERE e.stream_id LIKE 'lot-LARGE-%'`))[0].n)).toBe(size + existing.length);
    // Every chain and signature verifies, and the stream rows hold each chain's head.
    const audit = new EventLogAudit(dataSource, keys.ring);
    for (const id of ['lot-LARGE-OLD-0', 'lot-LARGE-OLD-1', 'lot-LARGE-OLD-5', 'lot-LARGE-OLD-1199', 'lot-LARGE-NEW-0', 'lot-LARGE-NEW-5', 'lot-LARGE-NEW-"9", \\ {x}', 'lot-LARGE-NEW-499']) {
      expect(await audit.verifyStream(id)).toMatchObject({ streamId: id, valid: true });
    }
    // A stale expected version writes nothing.
    await expect(store.appendMany(appends)).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE of events are refused by the database', async () => {
    await expect(dataSource.query(`UPDATE events SET type = 'Tampered'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM events`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE events CASCADE`)).rejects.toThrow(/append-only/);
  });
});
