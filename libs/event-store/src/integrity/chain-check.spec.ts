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

const check = (rows: typeof stored, h: { version: number; headHash: string } | null = head) => {
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
    expect(check(tampered)).toEqual({ streamId: 'lot-L1', valid: false, events: 4, headHash: hashes[3], firstInvalidVersion: 2, reason: 'HASH_MISMATCH' });
  });

  it('names the version where the stored hash itself was changed', () => {
    const tampered = stored.map((r) => (r.version === 3 ? { ...r, hash: 'f'.repeat(64) } : r));
    expect(check(tampered)).toMatchObject({ firstInvalidVersion: 3, reason: 'HASH_MISMATCH' });
  });

  it('names a missing version', () => {
    expect(check(stored.filter((r) => r.version !== 2))).toMatchObject({ firstInvalidVersion: 2, reason: 'VERSION_MISSING' });
  });

  it('names where the stream row disagrees with the last event', () => {
    // The last event deleted, the stream row left as it was.
    expect(check(stored.slice(0, 3), head)).toMatchObject({ firstInvalidVersion: 4, reason: 'STREAM_ROW_MISMATCH' });
    // An event appended behind the stream row's back.
    expect(check(stored, { version: 3, headHash: hashes[2] }).firstInvalidVersion).toBe(4);
    // The last event deleted and the version moved back, the head hash not.
    expect(check(stored.slice(0, 3), { version: 3, headHash: hashes[3] }).firstInvalidVersion).toBe(3);
  });

  it('without a stream row to compare (a walk up to a position), judges the events alone', () => {
    expect(check(stored.slice(0, 2), null)).toEqual({ streamId: 'lot-L1', valid: true, events: 2, headHash: hashes[1] });
  });

  it('takes signature failures reported later, the earliest version winning over a later hash mismatch', () => {
    const c = new ChainCheck('lot-L1', head);
    const steps = stored.map((r) => (r.version === 4 ? c.add({ ...r, data: { n: 40 } }) : c.add(r)));
    // Each step re-computes from the data, whatever is stored; only a step whose chain holds is worth a signature check.
    expect(steps.map((s) => s.sound)).toEqual([true, true, true, false]);
    expect(steps.slice(0, 3).map((s) => s.recomputed)).toEqual(hashes.slice(0, 3));
    expect(steps[3].recomputed).not.toBe(hashes[3]);
    c.signatureFailed(3, 'UNSIGNED');
    c.signatureFailed(2, 'BAD_SIGNATURE');
    expect(c.verdict()).toMatchObject({ valid: false, firstInvalidVersion: 2, reason: 'BAD_SIGNATURE' });
  });

  it('takes an upload whose readings do not hold, naming it, the earliest version winning', () => {
    const c = new ChainCheck('lot-L1', head);
    for (const r of stored) c.add(r);
    c.readingsFailed(3, 'READINGS_MISMATCH', 'u-3');
    expect(c.verdict()).toEqual({ streamId: 'lot-L1', valid: false, events: 4, headHash: hashes[3], firstInvalidVersion: 3, reason: 'READINGS_MISMATCH', uploadId: 'u-3' });
    c.signatureFailed(2, 'BAD_SIGNATURE');
    expect(c.verdict()).not.toHaveProperty('uploadId');
    expect(c.verdict()).toMatchObject({ firstInvalidVersion: 2, reason: 'BAD_SIGNATURE' });
  });
});
