import { canonicalJson } from './canonical-json';
import { canonicalEvent, canonicalEventOf, chainHashes, eventHash, eventHashOfText, GENESIS_HASH, HashedEvent } from './event-hash';

const first: HashedEvent = {
  streamId: 'lot-BEEF-1',
  version: 1,
  type: 'LotSampled',
  schemaVersion: 1,
  data: { scanId: 'S-1', facilityId: 'CW-1', quantity: { unit: 'KG', amount: 2.5 } },
  metadata: { actor: { role: 'OPERATOR', name: 'scanner 7', keyId: 'k-1' } },
  occurredAt: '2026-11-20T08:00:00Z',
};
const second: HashedEvent = {
  streamId: 'lot-BEEF-1',
  version: 2,
  type: 'LotLocked',
  schemaVersion: 2,
  data: { note: '冷链 ✓ é' },
  metadata: {},
  occurredAt: new Date('2026-11-20T09:30:00.123Z'),
};

// Computed independently (Python hashlib over the same bytes): the format is a contract with every regulator's copy.
const FIRST_HASH = '86b733ae1debc6ed8d571cf8a7e0435a4284d771e6812082b2d1df15f2e21a4a';
const SECOND_HASH = '9f4ee3d0e63d0cde459c88b8c434ab6729eabdbffa706ad75474df556ae21bc6';

describe('event hash chain', () => {
  it('encodes the hashed fields as canonical JSON with occurredAt in milliseconds', () => {
    expect(canonicalEvent(first)).toBe(
      '{"data":{"facilityId":"CW-1","quantity":{"amount":2.5,"unit":"KG"},"scanId":"S-1"},' +
        '"metadata":{"actor":{"keyId":"k-1","name":"scanner 7","role":"OPERATOR"}},' +
        '"occurredAt":"2026-11-20T08:00:00.000Z","schemaVersion":1,"streamId":"lot-BEEF-1","type":"LotSampled","version":1}',
    );
  });

  it('hashes SHA-256(previous hash bytes || UTF-8 canonical event), the first from 32 zero bytes', () => {
    expect(eventHash(GENESIS_HASH, first)).toBe(FIRST_HASH);
    expect(eventHash(FIRST_HASH, second)).toBe(SECOND_HASH);
    expect(chainHashes(GENESIS_HASH, [first, second])).toEqual([FIRST_HASH, SECOND_HASH]);
  });

  it('does not depend on key order, occurredAt spelling or what jsonb does to numbers', () => {
    const reread: HashedEvent = {
      ...first,
      data: JSON.parse('{"quantity":{"amount":2.50,"unit":"KG"},"scanId":"S-1","facilityId":"CW-1"}'),
      occurredAt: new Date('2026-11-20T08:00:00.000+00:00'),
    };
    expect(eventHash(GENESIS_HASH, reread)).toBe(FIRST_HASH);
  });

  it('changes with every hashed field and with the previous hash', () => {
    const variants: HashedEvent[] = [
      { ...first, streamId: 'lot-BEEF-2' },
      { ...first, version: 2 },
      { ...first, type: 'LotStored' },
      { ...first, schemaVersion: 2 },
      { ...first, data: { scanId: 'S-1', facilityId: 'CW-1', quantity: { unit: 'KG', amount: 2.6 } } },
      { ...first, metadata: { actor: { role: 'OPERATOR', name: 'scanner 8', keyId: 'k-1' } } },
      { ...first, occurredAt: '2026-11-20T08:00:00.001Z' },
    ];
    const hashes = variants.map((v) => eventHash(GENESIS_HASH, v));
    expect(new Set([FIRST_HASH, ...hashes]).size).toBe(variants.length + 1);
    expect(eventHash(SECOND_HASH, first)).not.toBe(FIRST_HASH);
  });

  it('refuses a previous hash that is not 64 lowercase hex digits', () => {
    expect(() => eventHash('00', first)).toThrow(/previous hash/);
    expect(() => eventHash(FIRST_HASH.toUpperCase(), first)).toThrow(/previous hash/);
  });
});

describe('canonical event from its parts', () => {
  const parts = (e: HashedEvent) => ({ ...e, occurredAt: new Date(e.occurredAt).toISOString() });

  it('writes the bytes canonicalEvent writes, so the chain is the same', () => {
    for (const e of [first, second, { ...first, data: { b: [1, { z: null, a: undefined }], a: 'x' }, metadata: Object.assign(Object.create(null), { k: 1 }) }]) {
      const text = canonicalEventOf(parts(e), canonicalJson(e.data), canonicalJson(e.metadata));
      expect(text).toBe(canonicalEvent(e));
      expect(eventHashOfText(GENESIS_HASH, text!)).toBe(eventHash(GENESIS_HASH, e));
    }
  });

  it('declines what is not a plain object (canonicalEvent writes it)', () => {
    expect(canonicalEventOf(parts({ ...first, data: undefined }), 'null', '{}')).toBeNull();
    expect(canonicalEventOf(parts({ ...first, data: [1] }), '[1]', '{}')).toBeNull();
    expect(canonicalEventOf(parts({ ...first, data: new Date(0) }), '"x"', '{}')).toBeNull();
  });
});
