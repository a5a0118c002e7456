import { Histogram, Registry } from 'prom-client';
import { HotHistogram } from './hot-histogram';

describe('HotHistogram', () => {
  const buckets = [0.005, 0.01, 0.1, 1];
  const observations: [string[], number][] = [
    [['GET', '/api/lots/:traceCode', '200'], 0.003],
    [['GET', '/api/lots/:traceCode', '200'], 0.005],
    [['POST', '/api/scans', '201'], 0.04],
    [['GET', 'unmatched', '404'], 2],
    [['GET', '/api/lots/:traceCode', '200'], 0.0051],
    [['GET', 'a "quoted\\ route\nx', '500'], 1],
  ];

  it('exposes what prom-client\'s Histogram exposes for the same observations, line for line', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const hot = new HotHistogram('t_seconds', 'help text', ['method', 'route', 'status'], buckets, [ours]);
    const reference = new Histogram({ name: 't_seconds', help: 'help text', labelNames: ['method', 'route', 'status'], buckets, registers: [theirs] });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    for (const [[method, route, status], value] of observations) {
      hot.observe([method, route, status], value);
      reference.observe({ method, route, status }, value);
    }
    const text = await ours.metrics();
    expect(text).toContain('t_seconds_bucket{le="0.005",method="GET",route="/api/lots/:traceCode",status="200"} 2\n');
    expect(text).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
