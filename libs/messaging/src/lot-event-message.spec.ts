import { StoredEvent } from '@app/event-store';
import { isTransient } from './lot-events-consumer';
import { fromLotEventMessage, HEADERS, PoisonMessageError, toLotEventMessage } from './lot-event-message';

const event: StoredEvent = {
  eventId: '6f1c2f4e-8b1a-4c1e-9d55-0a1b2c3d4e5f',
  streamId: 'lot-BEEF-1',
  version: 3,
  type: 'LotSampled',
  schemaVersion: 1,
  data: { scanId: 'S-1', facilityId: 'CW-1' },
  metadata: { actor: 'scanner-7' },
  occurredAt: '2026-11-20T08:00:00.000Z',
  recordedAt: '2026-11-20T08:00:01.000Z',
  globalPosition: 42,
  transactionId: '901',
  hash: '86b733ae1debc6ed8d571cf8a7e0435a4284d771e6812082b2d1df15f2e21a4a',
  signature: { signingKeyId: '0123456789abcdef', signature: 'ab'.repeat(64) },
};

describe('lot-event wire format', () => {
  it('is keyed by trace code, carries the headers, and round-trips the envelope', () => {
    const message = toLotEventMessage(event);
    expect(message.key).toBe('BEEF-1');
    expect(message.headers).toEqual({
      [HEADERS.eventId]: event.eventId,
      [HEADERS.eventType]: 'LotSampled',
      [HEADERS.schemaVersion]: '1',
      [HEADERS.globalPosition]: '42',
      [HEADERS.streamVersion]: '3',
      [HEADERS.traceCode]: 'BEEF-1',
    });
    const back = fromLotEventMessage({ value: Buffer.from(message.value as string) });
    expect(back).toEqual({ ...event, transactionId: '0' });
    const value = JSON.parse(message.value as string);
    expect(value.hash).toBe(event.hash);
    // Flat on the wire, beside the hash it signs.
    expect([value.signingKeyId, value.signature]).toEqual([event.signature!.signingKeyId, event.signature!.signature]);
    expect(value).not.toHaveProperty('transactionId');
  });

  it('still reads a message published before events carried a hash, or a signature', () => {
    const older = JSON.stringify({ ...event, hash: undefined, transactionId: undefined, signature: undefined });
    expect(fromLotEventMessage({ value: Buffer.from(older) })).toEqual({ ...event, transactionId: '0', hash: '', signature: null });
    const unsigned = toLotEventMessage({ ...event, signature: null });
    expect(JSON.parse(unsigned.value as string)).not.toHaveProperty('signature');
    expect(fromLotEventMessage({ value: Buffer.from(unsigned.value as string) })).toEqual({ ...event, transactionId: '0', signature: null });
  });

  it.each<[string, string | null]>([
    ['no value', null],
    ['not JSON', '{oops'],
    ['a JSON array', '[]'],
    ['missing eventId', JSON.stringify({ ...event, eventId: undefined })],
    ['a non-lot stream', JSON.stringify({ ...event, streamId: 'facility-CW-1' })],
    ['version 0', JSON.stringify({ ...event, version: 0 })],
    ['data not an object', JSON.stringify({ ...event, data: 'x' })],
    ['a hash that is not hex', JSON.stringify({ ...event, hash: 'not-a-hash' })],
    ['an upper-case hash', JSON.stringify({ ...event, hash: event.hash.toUpperCase() })],
    ['a signature without its key id', JSON.stringify({ ...event, signature: 'ab'.repeat(64) })],
    ['a key id without its signature', JSON.stringify({ ...event, signature: undefined, signingKeyId: '0123456789abcdef' })],
    ['a short signature', JSON.stringify({ ...event, signature: 'ab'.repeat(32), signingKeyId: '0123456789abcdef' })],
    ['a key id that is not 16 hex digits', JSON.stringify({ ...event, signature: 'ab'.repeat(64), signingKeyId: 'key-1' })],
  ])('refuses %s as poison', (_name, value) => {
    expect(() => fromLotEventMessage({ value: value === null ? null : Buffer.from(value) })).toThrow(PoisonMessageError);
  });
});

describe('isTransient: retry, or dead-letter?', () => {
  it.each<[string, unknown, boolean]>([
    ['a lost database connection', { code: '08006', message: 'connection failure' }, true],
    ['a serialization failure', { driverError: { code: '40001' }, message: 'could not serialize' }, true],
    ['an admin shutdown', { driverError: { code: '57P01' } }, true],
    ['a refused connection', new Error('connect ECONNREFUSED 127.0.0.1:5432'), true],
    ['a kafkajs error', Object.assign(new Error('broker down'), { name: 'KafkaJSConnectionError' }), true],
    ['a value out of range', { driverError: { code: '22008' }, message: 'date/time field value out of range' }, false],
    ['an unknown event type', new Error('cannot read lot event LotTeleported v9'), false],
    ['a TypeError from bad data', new TypeError("Cannot read properties of undefined (reading 'amount')"), false],
  ])('%s -> %s', (_name, error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});
