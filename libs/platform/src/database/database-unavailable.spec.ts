import { QueryFailedError } from 'typeorm';
import { databaseUnavailableReason } from './database-unavailable';
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

describe('our own waits', () => {
  it('a spent deadline is unavailability', () => {
    expect(databaseUnavailableReason(new DatabaseDeadlineExceeded('its turn on lot-A', 10_000))).toBe('no answer within 10000 ms (waiting for its turn on lot-A)');
  });
});
