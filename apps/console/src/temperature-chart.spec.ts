import { excursionFacts, svgMarkup, temperatureChart, type ChartSeries } from './temperature-chart';

const HOUR = 3_600_000;
const start = Date.parse('2026-11-20T00:00:00.000Z');
const at = (h: number): string => new Date(start + h * HOUR).toISOString();

/** 72 hourly buckets at -20 °C, hours 30–32 at -5 °C, a gap between hours 50 and 52. */
const series = (over: Partial<ChartSeries> = {}): ChartSeries => ({
  range: { minCelsius: null, maxCelsius: -18 },
  points: Array.from({ length: 72 }, (_, h) => h)
    .filter((h) => h !== 51)
    .map((h) => (h >= 30 && h < 33 ? { at: at(h), celsius: -5, min: -6, max: -4 } : { at: at(h), celsius: -20, min: -21, max: -19.5 })),
  excursions: [
    { kind: 'EXCURSION', from: at(30), to: at(33), durationMinutes: 180, extremeCelsius: -4 },
    { kind: 'ABUSE', from: at(30), to: at(33), durationMinutes: 180, extremeCelsius: -4 },
  ],
  gaps: [{ from: at(50), to: at(52), minutes: 120 }],
  ...over,
});

const words = { title: 'T <chart>', description: 'D & more', time: (iso: string) => iso.slice(0, 16), celsius: (c: number) => `${c} °C` };

const find = (n: ReturnType<typeof temperatureChart>, cls: string) => (n?.children ?? []).filter((c) => typeof c !== 'string' && String(c.attrs.class ?? '').split(' ').includes(cls));

describe('the temperature chart (pure SVG)', () => {
  it('draws the range below its bound, both excursions (the abuse outlined), the means broken at the gap', () => {
    const chart = temperatureChart(series(), words)!;
    expect(chart.attrs).toMatchObject({ viewBox: '0 0 560 240', width: '100%', role: 'img' });
    const [range] = find(chart, 'range') as { attrs: Record<string, number> }[];
    const [bound] = find(chart, 'range-bound') as { attrs: Record<string, number> }[];
    // Unbounded below: the band runs from the -18 °C line to the plot's bottom.
    expect(range.attrs.y).toBe(bound.attrs.y1);
    const marks = find(chart, 'excursion') as { attrs: Record<string, string | number> }[];
    expect(marks.map((m) => m.attrs['data-kind'])).toEqual(['EXCURSION', 'ABUSE']);
    expect(marks[1].attrs.stroke).toBeDefined();
    expect(Number(marks[1].attrs['fill-opacity'])).toBeGreaterThan(Number(marks[0].attrs['fill-opacity']));
    const [mean] = find(chart, 'mean') as { attrs: Record<string, string> }[];
    expect(mean.attrs.d.match(/M/g)).toHaveLength(2);
    expect(find(chart, 'spread')).toHaveLength(2);
  });

  it('has no style attribute and escapes its words', () => {
    const markup = svgMarkup(temperatureChart(series(), words)!);
    expect(markup).not.toMatch(/\sstyle=/);
    expect(markup).toContain('<title>T &lt;chart&gt;</title><desc>D &amp; more</desc>');
  });

  it('draws nothing for an empty log', () => {
    expect(temperatureChart(series({ points: [], excursions: [], gaps: [] }), words)).toBeNull();
  });

  it('counts a shopper\'s excursions once each (an abuse lies within its excursion), with the reading furthest out', () => {
    expect(excursionFacts(series())).toEqual({ count: 1, minutes: 180, longestMinutes: 180, extremeCelsius: -4, above: true });
    expect(excursionFacts(series({ range: { minCelsius: 0, maxCelsius: 4 }, excursions: [{ kind: 'EXCURSION', from: at(1), to: at(2), durationMinutes: 45.2, extremeCelsius: -2 }] }))).toMatchObject({
      count: 1,
      minutes: 45,
      extremeCelsius: -2,
      above: false,
    });
    expect(excursionFacts(series({ excursions: [] }))).toBeNull();
  });
});
