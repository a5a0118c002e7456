import type { AppConfig } from '../config/app-config';
import { FailedAuthLimit } from './failed-auth-limit';

const limitOf = (perMinute: number) => new FailedAuthLimit({ authFailureLimitPerMinute: perMinute } as AppConfig);

describe('FailedAuthLimit', () => {
  const t0 = 5_000_000;
  const STORE = '203.0.113.7';

  it('counts failures per address: the budget as 401s, then 429 with the seconds left', () => {
    const limit = limitOf(3);
    expect([0, 1, 2].map((i) => limit.judge(STORE, null, t0 + i))).toEqual([null, null, null]);
    expect(limit.judge(STORE, null, t0 + 10_000)).toBe(50);
    expect(limit.judge('198.51.100.1', null, t0 + 10_000)).toBeNull();
    expect(limit.judge(STORE, null, t0 + 60_000)).toBeNull();
  });

  it('once spent, a key that worked from the address lately still works; any other credential is refused unchecked', () => {
    const limit = limitOf(2);
    expect(limit.judge(STORE, 'till-1', t0)).toBeNull();
    limit.judge(STORE, null, t0 + 1);
    limit.judge(STORE, null, t0 + 2);
    // Till 1 sold before the flood: it keeps selling.
    expect(limit.judge(STORE, 'till-1', t0 + 3)).toBeNull();
    // A right token never used from here is refused like a wrong one: no guess is told apart from another.
    expect(limit.judge(STORE, 'till-2', t0 + 3)).toBe(60);
    expect(limit.judge(STORE, null, t0 + 3)).toBe(60);
    // Successes spend nothing: a busy till alone never reaches the limit.
    const busy = limitOf(1);
    for (let i = 0; i < 100; i++) expect(busy.judge(STORE, 'till-1', t0 + i)).toBeNull();
  });

  it('forgets a key that has not worked from the address for a quarter of an hour', () => {
    const limit = limitOf(1);
    limit.judge(STORE, 'till-1', t0);
    const later = t0 + 15 * 60_000;
    limit.judge(STORE, null, later);
    expect(limit.judge(STORE, 'till-1', later + 1)).toBe(60);
  });
});
