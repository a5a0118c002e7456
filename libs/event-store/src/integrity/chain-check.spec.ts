import { ChainCheck } from './chain-check';
import { chainHashes, GENESIS_HASH, HashedEvent } from './event-hash';

const events: HashedEvent[] = [1, 2, 3, 4].map((version) => ({
  streamId: 'lot-L1',
  version,
  type: 'LotScanned',
  schemaVersion: 1,
  data: { n: version },
  metadata: { actor: 'scanner' },
  occurredAt: `2026-11-20T08:0${version}:00.000Z`,
}));
const hashes = chainHashes(GENESIS_HASH, events);
const stored = events.map((e, i) => ({ ...e, hash: hashes[i] }));
const head = { version: 4, headHash: hashes[3] };

const check = (rows: typeof stored, h = head) => {
  const c = new ChainCheck('lot-L1', h);
  for (const r of rows) c.add(r);
  return c.verdict();
};

describe('ChainCheck', () => {
  it('accepts an untouched chain and names its head', () => {
    expect(check(stored)).toEqual({ streamId: 'lot-L1', valid: true, events: 4, headHash: hashes[3] });
  });

  it('names the first version whose data was changed, even when later hashes were left alone', () => {
    const tampered = stored.map((r) => (r.version === 2 ? { ...r, data: { n: 20 } } : r));
    expect(check(tampered)).toEqual({ streamId: 'lot-L1', valid: false, events: 4, headHash: hashes[3], firstInvalidVersion: 2 });
  });

  it('names the version where the stored hash itself was changed', () => {
    const tampered = stored.map((r) => (r.version === 3 ? { ...r, hash: 'f'.repeat(64) } : r));
    expect(check(tampered).firstInvalidVersion).toBe(3);
  });

  it('names a missing version', () => {
    expect(check(stored.filter((r) => r.version !== 2)).firstInvalidVersion).toBe(2);
  });

  it('names where the stream row disagrees with the last event', () => {
    // The last event deleted, the stream row left as it was.
    expect(check(stored.slice(0, 3), head).firstInvalidVersion).toBe(4);
    // An event appended behind the stream row's back.
    expect(check(stored, { version: 3, headHash: hashes[2] }).firstInvalidVersion).toBe(4);
    // The last event deleted and the version moved back, the head hash not.
    expect(check(stored.slice(0, 3), { version: 3, headHash: hashes[3] }).firstInvalidVersion).toBe(3);
  });
});
