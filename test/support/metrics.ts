import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import request from 'supertest';
import type { App } from 'supertest/types';

type Families = ReturnType<typeof parsePrometheusTextFormat>;

export interface Scrape {
  /** The metric families as the parser reads them (names, types, help). */
  readonly families: Families;
  /**
   * Every sample with its labels. parse-prometheus-text-format 1.1.1 folds all
   * series of a labelled histogram into one sample without labels, so the
   * same text is parsed again with the histograms' TYPE lines left out: their
   * `_bucket`, `_sum` and `_count` series then come as untyped samples, labels kept.
   */
  readonly series: Families;
}

/** GET /metrics on this server (200 expected), parsed by a Prometheus text-format parser, not by us. */
export const scrape = async (server: App, token?: string): Promise<Scrape> => {
  const req = request(server).get('/metrics');
  if (token) req.set('authorization', `Bearer ${token}`);
  const res = await req.expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return { families: parsePrometheusTextFormat(res.text), series: parsePrometheusTextFormat(res.text.replace(/^# TYPE \S+ histogram$/gm, '')) };
};

const matches = (labels: Record<string, string> | undefined, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([k, v]) => labels?.[k] === v);

const samplesOf = (s: Scrape, name: string) => s.series.filter((f) => f.name === name).flatMap((f) => f.metrics);

/** The family, which must be there. */
export const family = (s: Scrape, name: string) => {
  const f = s.families.find((m) => m.name === name);
  if (!f) throw new Error(`no metric ${name} in the scrape (has ${s.families.map((m) => m.name).join(', ')})`);
  return f;
};

/** A counter's or gauge's value for these labels (every sample matching them, summed); 0 when no sample matches. */
export const valueOf = (s: Scrape, name: string, labels: Record<string, string> = {}): number =>
  samplesOf(s, name)
    .filter((m) => matches(m.labels, labels))
    .reduce((sum, m) => sum + Number(m.value), 0);

/** A histogram's observation count for these labels (summed over matching series); 0 when none matches. */
export const countOf = (s: Scrape, histogram: string, labels: Record<string, string> = {}): number => valueOf(s, `${histogram}_count`, labels);

/** The label sets of a metric's samples (a histogram's: of its `_count` series). */
export const labelsOf = (s: Scrape, name: string): Record<string, string>[] => {
  const own = samplesOf(s, name);
  return (own.length > 0 ? own : samplesOf(s, `${name}_count`)).map((m) => ({ ...(m.labels ?? {}) }));
};
