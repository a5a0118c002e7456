import { QueryFailedError } from 'typeorm';
import { CommitOutcomeUnknown, commitFailure, connectionBroken, ConnectionLost, databaseUnavailableReason } from './database-unavailable';
import { DatabaseDeadlineExceeded } from './deadline';

/** What pg raises for a server error: an Error carrying the SQLSTATE as `code`, and the severity. */
const pgError = (code: string, message: string, severity = 'ERROR'): Error => Object.assign(new Error(message), { code, severity });

describe('databaseUnavailableReason', () => {
  it.each([
    ['57014', 'canceling statement due to statement timeout'],
    ['55P03', 'canceling statement due to lock timeout'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
    ['08001', 'could not connect'],
  ])('%s (%s) is unavailability, bare or wrapped by TypeORM', (code, message) => {
    expect(databaseUnavailableReason(pgError(code, message))).toBe(code);
    expect(databaseUnavailableReason(new QueryFailedError('SELECT 1', [], pgError(code, message)))).toBe(code);
  });

  it.each([
    ['timeout exceeded when trying to connect'],
    ['Connection terminated unexpectedly'],
    ['Connection terminated due to connection timeout'],
    ['Client has encountered a connection error and is not queryable'],
  ])('pg without a code: "%s"', (message) => {
    expect(databaseUnavailableReason(new Error(message))).toBe(message);
  });

  it('a refused connection, also inside an AggregateError or a cause chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(databaseUnavailableReason(refused)).toBe('ECONNREFUSED');
    expect(databaseUnavailableReason(new AggregateError([refused], ''))).toBe('ECONNREFUSED');
    expect(databaseUnavailableReason(new Error('loading credentials failed', { cause: refused }))).toBe('ECONNREFUSED');
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['22P02', 'invalid input syntax for type bigint'],
    ['40P01', 'deadlock detected'],
    ['42P01', 'relation "nope" does not exist'],
  ])('%s (%s) is not', (code, message) => {
    expect(databaseUnavailableReason(new QueryFailedError('SELECT 1', [], pgError(code, message)))).toBeNull();
  });

  it('neither is a plain bug, nor a value that is not an error', () => {
    expect(databaseUnavailableReason(new TypeError("Cannot read properties of undefined (reading 'length')"))).toBeNull();
    expect(databaseUnavailableReason(undefined)).toBeNull();
    expect(databaseUnavailableReason('Connection terminated')).toBeNull();
  });

  it('a cyclic cause chain ends', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = new Error('b', { cause: a });
    expect(databaseUnavailableReason(a)).toBeNull();
  });
});

describe('our own waits and commits', () => {
  it('a spent deadline, a connection lost mid-transaction and an unknown commit outcome are unavailability', () => {
    expect(databaseUnavailableReason(new ConnectionLost(new Error('whatever the driver said')))).toBe('the database connection was lost: whatever the driver said');
    expect(databaseUnavailableReason(new DatabaseDeadlineExceeded('its turn on lot-A', 10_000))).toBe('no answer within 10000 ms (waiting for its turn on lot-A)');
    expect(databaseUnavailableReason(new CommitOutcomeUnknown(new Error('boom')))).toContain("the commit's outcome is unknown");
  });
});

describe('commitFailure: what a failed COMMIT means', () => {
  it.each([
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['a write to a closed socket', Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' })],
    ['a reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['an errno that looks like a SQLSTATE', Object.assign(new Error('bad file descriptor'), { code: 'EBADF' })],
    ['a shutdown (FATAL 57P01)', pgError('57P01', 'terminating connection due to administrator command', 'FATAL')],
    ['a shutdown, wrapped by TypeORM', new QueryFailedError('COMMIT', [], pgError('57P01', 'terminating connection due to administrator command', 'FATAL'))],
    ['a driver state error', new Error('Transaction is not started yet, start transaction before committing or rolling it back.')],
    ['not even an Error', 'gone'],
  ])('%s: outcome unknown (503, retry with the idempotency key)', (_what, error) => {
    const meant = commitFailure(error);
    expect(meant).toBeInstanceOf(CommitOutcomeUnknown);
    expect((meant as Error).cause).toBe(error);
    expect(databaseUnavailableReason(meant)).not.toBeNull();
  });

  it.each([
    ['40001', 'could not serialize access due to concurrent update'],
    ['23505', 'duplicate key value violates unique constraint'],
    ['40P01', 'deadlock detected'],
  ])('the server refused it (%s): rolled back, the error stays as it is', (code, message) => {
    const bare = pgError(code, message);
    expect(commitFailure(bare)).toBe(bare);
    const wrapped = new QueryFailedError('COMMIT', [], pgError(code, message));
    expect(commitFailure(wrapped)).toBe(wrapped);
  });
});

describe('connectionBroken: is the connection still fit for the next request?', () => {
  it('not after a lost connection, a shutdown or an unknown commit', () => {
    expect(connectionBroken(new ConnectionLost(pgError('57P01', 'terminating connection due to administrator command', 'FATAL')))).toBe(true);
    expect(connectionBroken(new CommitOutcomeUnknown(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(connectionBroken(new QueryFailedError('COMMIT', [], pgError('57P01', 'terminating connection due to administrator command', 'FATAL')))).toBe(true);
  });

  it('yes after a statement or lock timeout, our own deadline, or an ordinary error', () => {
    expect(connectionBroken(new QueryFailedError('SELECT 1', [], pgError('57014', 'canceling statement due to statement timeout')))).toBe(false);
    expect(connectionBroken(new QueryFailedError('SELECT 1', [], pgError('55P03', 'canceling statement due to lock timeout')))).toBe(false);
    expect(connectionBroken(new DatabaseDeadlineExceeded('a lock', 2000))).toBe(false);
    expect(connectionBroken(new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key value violates unique constraint')))).toBe(false);
  });
});
