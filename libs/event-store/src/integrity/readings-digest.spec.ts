import { createHash } from 'node:crypto';
import { readingsSha256 } from './readings-digest';

describe('readingsSha256', () => {
  it('hashes one line a reading, time in UTC milliseconds, value as JavaScript prints it', () => {
    const text = '2026-11-20T00:00:00.000Z\t-18.3\n2026-11-20T00:05:00.000Z\t0\n';
    const expected = createHash('sha256').update(text, 'utf8').digest('hex');
    expect(readingsSha256([{ at: '2026-11-20T08:00:00+08:00', celsius: -18.3 }, { at: '2026-11-20T00:05:00.000000Z', celsius: -0 }])).toBe(expected);
  });

  it('depends on the order, each time and each value', () => {
    const a = { at: '2026-11-20T00:00:00.000Z', celsius: -18.3 };
    const b = { at: '2026-11-20T00:05:00.000Z', celsius: -18.2 };
    const digests = [[a, b], [b, a], [a, { ...b, celsius: -18.21 }], [a, { ...b, at: '2026-11-20T00:05:00.001Z' }], [a]].map(readingsSha256);
    expect(new Set(digests).size).toBe(digests.length);
  });
});
