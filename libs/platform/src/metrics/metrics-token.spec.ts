import { envMetricsToken, metricsTokenAccepted } from './metrics-token';

describe('METRICS_TOKEN', () => {
  const token = 'metrics-secret-0123456789';

  it('unset or empty leaves /metrics open', () => {
    expect(envMetricsToken({})).toBeNull();
    expect(envMetricsToken({ METRICS_TOKEN: '' })).toBeNull();
    expect(metricsTokenAccepted(null, undefined)).toBe(true);
    expect(metricsTokenAccepted(null, 'Bearer anything')).toBe(true);
  });

  it('refuses a short token at start-up', () => {
    expect(() => envMetricsToken({ METRICS_TOKEN: 'short' })).toThrow('at least 16 characters');
    expect(envMetricsToken({ METRICS_TOKEN: token })).toBe(token);
  });

  it('set, only `Bearer <token>` with that exact token passes', () => {
    expect(metricsTokenAccepted(token, `Bearer ${token}`)).toBe(true);
    expect(metricsTokenAccepted(token, `bearer ${token}`)).toBe(true);
    for (const header of [undefined, '', token, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, 'Bearer ', `Basic ${token}`, `Bearer ${token} more`]) {
      expect({ header, accepted: metricsTokenAccepted(token, header) }).toEqual({ header, accepted: false });
    }
  });
});
