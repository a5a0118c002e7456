import { createMetricsRegistry, registerReaderProgress, sharedScrape } from './metrics-registry';

describe('metrics registry', () => {
  it('gives each app a registry of its own (two in one process do not clash)', async () => {
    const a = createMetricsRegistry();
    const b = createMetricsRegistry();
    const read = async () => [{ name: 'lot_summary', position: 7, lagEvents: 2, lagSeconds: 1.5 }];
    registerReaderProgress(a, { prefix: 'coldtrace_projection', label: 'projection', what: 'test', read });
    registerReaderProgress(b, { prefix: 'coldtrace_projection', label: 'projection', what: 'test', read });
    const text = await a.metrics();
    expect(text).toContain('coldtrace_projection_position{projection="lot_summary"} 7');
    expect(text).toContain('coldtrace_projection_lag_events{projection="lot_summary"} 2');
    expect(text).toContain('coldtrace_projection_lag_seconds{projection="lot_summary"} 1.5');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(await b.metrics()).toContain('coldtrace_projection_position{projection="lot_summary"} 7');
  });

  it('reads once for all the gauges of one scrape', async () => {
    const registry = createMetricsRegistry();
    let reads = 0;
    registerReaderProgress(registry, {
      prefix: 'coldtrace_relay',
      label: 'relay',
      what: 'test',
      read: async () => (reads++, [{ name: 'kafka', position: 1, lagEvents: 0, lagSeconds: 0 }]),
    });
    await registry.metrics();
    expect(reads).toBe(1);
  });

  it('a read that does not answer in time leaves its series out instead of holding the scrape', async () => {
    const stuck = sharedScrape(() => new Promise<number>(() => undefined), 1000, 20);
    expect(await stuck()).toBeNull();
    const failing = sharedScrape<number>(() => Promise.reject(new Error('database away')));
    expect(await failing()).toBeNull();
  });
});
