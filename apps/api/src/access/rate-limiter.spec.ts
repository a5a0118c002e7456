import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the budget per address per minute, then says how long to wait; spent() tells without counting', () => {
    const limit = new RateLimiter(3);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limit.hit('10.0.0.1', t0))).toEqual([null, null, null]);
    expect(limit.spent('10.0.0.1', t0 + 15_000)).toBe(45);
    expect(limit.hit('10.0.0.1', t0 + 15_000)).toBe(45);
    // Another address has its own budget; spent() never counts.
    expect(limit.spent('10.0.0.2', t0)).toBeNull();
    expect(limit.spent('10.0.0.2', t0)).toBeNull();
    expect(limit.hit('10.0.0.2', t0)).toBeNull();
    // A new window, a new budget.
    expect(limit.spent('10.0.0.1', t0 + 60_000)).toBeNull();
    expect(limit.hit('10.0.0.1', t0 + 60_000)).toBeNull();
  });
});
