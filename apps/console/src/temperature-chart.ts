/**
 * A lot's temperature series as an SVG line chart, pure: no DOM, no Nest, no
 * import at all, so the same file serves the console (compiled for the
 * browser, turned into elements by svgElement in temperature-section.ts) and
 * the api's shopper page (imported by path, written out by svgMarkup). Only
 * presentation attributes, never a `style` attribute: both CSPs forbid
 * inline style. Words and formats come from the caller (its language, its
 * clock); the chart itself holds none.
 */

/** What GET /api/lots/:traceCode/temperatures answers (and TemperatureSeries.series returns), as far as the chart reads it. */
export interface ChartSeries {
  readonly range: { readonly minCelsius: number | null; readonly maxCelsius: number | null };
  readonly points: readonly { readonly at: string; readonly celsius: number; readonly min: number; readonly max: number }[];
  readonly excursions: readonly { readonly kind: 'EXCURSION' | 'ABUSE'; readonly from: string; readonly to: string; readonly durationMinutes: number; readonly extremeCelsius: number }[];
  readonly gaps: readonly { readonly from: string; readonly to: string; readonly minutes: number }[];
}

export interface ChartWords {
  /** The chart's accessible name (`<title>`). */
  readonly title: string;
  /** What it shows, in words (`<desc>`): the summary the page prints too. */
  readonly description: string;
  /** A time label on the time axis, on the caller's clock. */
  readonly time: (iso: string) => string;
  /** A temperature label, unit included (`-18 °C`). */
  readonly celsius: (value: number) => string;
}

/** An SVG element as data: the console builds it with createElementNS, the api writes it out escaped. */
export interface SvgNode {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string | number>>;
  readonly children: readonly (SvgNode | string)[];
}

export interface ChartSize {
  readonly width: number;
  readonly height: number;
  /** In viewBox units: the chart is drawn at width 100%, so this scales with it. */
  readonly fontSize: number;
  /** How many time labels (2 or more). */
  readonly timeLabels: number;
}

export const CHART_SIZE: ChartSize = { width: 560, height: 240, fontSize: 12, timeLabels: 3 };

/** The points worth asking the series for (its `resolution`): one per 2 units of width; more would not show, and fewer shows each bucket's min–max. */
export const chartResolution = (size: ChartSize = CHART_SIZE): number => Math.max(2, Math.floor(size.width / 2));

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Colours pass WCAG's 3:1 for graphics against white; an abuse is drawn darker and outlined, so it reads stronger without colour too. */
const COLOURS = {
  range: '#dcefdc',
  rangeEdge: '#2e7d32',
  rangeText: '#1b5e20',
  spread: '#9ec5ea',
  mean: '#0d47a1',
  excursion: '#ef6c00',
  abuse: '#b71c1c',
  axis: '#5f6670',
  grid: '#e1e4e8',
  text: '#3c4350',
};

const node = (tag: string, attrs: Record<string, string | number> = {}, ...children: (SvgNode | string)[]): SvgNode => ({ tag, attrs, children });

const round = (n: number): number => Math.round(n * 10) / 10;

/** Tick values 1, 2 or 5 × 10^k apart, about `count` of them, covering [low, high]. */
const ticks = (low: number, high: number, count: number): number[] => {
  const raw = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + 1e-9; v += step) out.push(round(v));
  return out;
};

/**
 * The chart: the range shaded (green, edged at its bounds), the min–max of
 * each bucket as a light band, the bucket means as a line broken at each gap
 * in the log, excursions as shaded spans (an ABUSE darker and outlined),
 * °C and time axes. Empty series: null (the caller says "no log" in words).
 */
export const temperatureChart = (series: ChartSeries, words: ChartWords, size: ChartSize = CHART_SIZE): SvgNode | null => {
  const points = series.points;
  if (points.length === 0) return null;
  const { width, height, fontSize } = size;
  const left = fontSize * 4.5;
  const right = fontSize;
  const top = fontSize * 0.75;
  const bottom = fontSize * 2.25;
  const plotW = width - left - right;
  const plotH = height - top - bottom;

  const times = points.map((p) => Date.parse(p.at));
  let t0 = Math.min(...times, ...series.excursions.map((e) => Date.parse(e.from)));
  let t1 = Math.max(...times, ...series.excursions.map((e) => Date.parse(e.to)));
  if (t1 - t0 < 60_000) {
    t0 -= 30 * 60_000;
    t1 += 30 * 60_000;
  }
  const bounds = [series.range.minCelsius, series.range.maxCelsius].filter((v): v is number => v !== null);
  const values = [...points.flatMap((p) => [p.min, p.max]), ...bounds];
  let low = Math.min(...values);
  let high = Math.max(...values);
  const pad = Math.max(1, (high - low) * 0.08);
  low -= pad;
  high += pad;
  const yTicks = ticks(low, high, 4);
  low = Math.min(low, yTicks[0]);
  high = Math.max(high, yTicks[yTicks.length - 1]);

  const x = (t: number): number => round(left + ((t - t0) / (t1 - t0)) * plotW);
  const y = (c: number): number => round(top + ((high - c) / (high - low)) * plotH);
  const plotBottom = top + plotH;

  const parts: SvgNode[] = [node('title', {}, words.title), node('desc', {}, words.description)];

  // The range: between its bounds, open to the plot's edge on an unbounded side.
  const rangeTop = series.range.maxCelsius === null ? top : y(series.range.maxCelsius);
  const rangeBottom = series.range.minCelsius === null ? plotBottom : y(series.range.minCelsius);
  parts.push(node('rect', { class: 'range', x: left, y: rangeTop, width: plotW, height: round(Math.max(0, rangeBottom - rangeTop)), fill: COLOURS.range }));
  // Each bound named at the plot's right edge, outside the band, where in-range data is not.
  for (const bound of bounds) {
    parts.push(node('line', { class: 'range-bound', x1: left, x2: left + plotW, y1: y(bound), y2: y(bound), stroke: COLOURS.rangeEdge, 'stroke-width': 1, 'stroke-dasharray': '4 3' }));
    const above = bound === series.range.maxCelsius;
    parts.push(
      node('text', { class: 'range-label', x: left + plotW - fontSize * 0.3, y: round(y(bound) + (above ? -fontSize * 0.35 : fontSize * 1.05)), 'text-anchor': 'end', 'font-size': fontSize, fill: COLOURS.rangeText }, words.celsius(bound)),
    );
  }

  // Gridlines and the °C axis.
  for (const v of yTicks) {
    parts.push(node('line', { x1: left, x2: left + plotW, y1: y(v), y2: y(v), stroke: COLOURS.grid, 'stroke-width': 0.5 }));
    parts.push(node('text', { class: 'y-label', x: left - fontSize * 0.4, y: round(y(v) + fontSize * 0.35), 'text-anchor': 'end', 'font-size': fontSize, fill: COLOURS.text }, words.celsius(v)));
  }

  // Excursions under the data, ABUSE over EXCURSION.
  const marks = [...series.excursions].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'ABUSE' ? 1 : -1));
  for (const e of marks) {
    const abuse = e.kind === 'ABUSE';
    const x0 = x(Date.parse(e.from));
    parts.push(
      node('rect', {
        class: `excursion ${abuse ? 'abuse' : ''}`.trim(),
        'data-kind': e.kind,
        'data-from': e.from,
        'data-to': e.to,
        x: x0,
        y: top,
        width: round(Math.max(2, x(Date.parse(e.to)) - x0)),
        height: plotH,
        fill: abuse ? COLOURS.abuse : COLOURS.excursion,
        'fill-opacity': abuse ? 0.35 : 0.18,
        ...(abuse ? { stroke: COLOURS.abuse, 'stroke-width': 1.5 } : {}),
      }),
    );
  }

  // Where the log has a gap, the line breaks: a new subpath after it.
  const gapEnds = series.gaps.map((g) => Date.parse(g.to));
  const breaksBefore = (i: number): boolean => i > 0 && gapEnds.some((end) => times[i - 1] < end && times[i] >= end);
  const spread: SvgNode[] = [];
  const line: string[] = [];
  let run: number[] = [];
  const closeRun = (): void => {
    if (run.length === 0) return;
    const upper = run.map((i) => `${x(times[i])},${y(points[i].max)}`);
    const lower = run.map((i) => `${x(times[i])},${y(points[i].min)}`).reverse();
    if (run.some((i) => points[i].max > points[i].min)) spread.push(node('polygon', { class: 'spread', points: [...upper, ...lower].join(' '), fill: COLOURS.spread, 'fill-opacity': 0.6 }));
    run = [];
  };
  points.forEach((p, i) => {
    if (breaksBefore(i)) closeRun();
    line.push(`${breaksBefore(i) || i === 0 ? 'M' : 'L'}${x(times[i])} ${y(p.celsius)}`);
    run.push(i);
  });
  closeRun();
  parts.push(...spread);
  parts.push(node('path', { class: 'mean', d: line.join(''), fill: 'none', stroke: COLOURS.mean, 'stroke-width': 2, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }));
  if (points.length === 1) parts.push(node('circle', { class: 'mean-point', cx: x(times[0]), cy: y(points[0].celsius), r: 3, fill: COLOURS.mean }));

  // The axes, then the time labels: first and last flush with the plot's edges.
  parts.push(node('path', { class: 'axes', d: `M${left} ${top}V${plotBottom}H${left + plotW}`, fill: 'none', stroke: COLOURS.axis, 'stroke-width': 1 }));
  const labels = Math.max(2, size.timeLabels);
  for (let k = 0; k < labels; k++) {
    const t = t0 + ((t1 - t0) * k) / (labels - 1);
    const anchor = k === 0 ? 'start' : k === labels - 1 ? 'end' : 'middle';
    parts.push(node('line', { x1: x(t), x2: x(t), y1: plotBottom, y2: plotBottom + fontSize * 0.35, stroke: COLOURS.axis, 'stroke-width': 1 }));
    parts.push(node('text', { class: 'x-label', x: x(t), y: round(plotBottom + fontSize * 1.5), 'text-anchor': anchor, 'font-size': fontSize, fill: COLOURS.text }, words.time(new Date(t).toISOString())));
  }

  return node('svg', { xmlns: SVG_NS, viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', class: 'temperature-chart', focusable: 'false' }, ...parts);
};

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The node as markup, every text and attribute escaped: for a server-rendered page. */
export const svgMarkup = (n: SvgNode): string =>
  `<${n.tag}${Object.entries(n.attrs)
    .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
    .join('')}>${n.children.map((c) => (typeof c === 'string' ? escape(c) : svgMarkup(c))).join('')}</${n.tag}>`;

/**
 * The cold chain in a few numbers, as a shopper is told it: the excursions
 * (an ABUSE lies within an EXCURSION, so only those count, unless there are
 * none), their time outside in all, and the reading furthest from the range.
 * null: none.
 */
export const excursionFacts = (series: ChartSeries): { count: number; minutes: number; longestMinutes: number; extremeCelsius: number; above: boolean } | null => {
  const plain = series.excursions.filter((e) => e.kind === 'EXCURSION');
  const counted = plain.length > 0 ? plain : series.excursions;
  if (counted.length === 0) return null;
  const distance = (c: number): number =>
    series.range.maxCelsius !== null && c > series.range.maxCelsius ? c - series.range.maxCelsius : series.range.minCelsius !== null && c < series.range.minCelsius ? series.range.minCelsius - c : 0;
  // The extreme of every mark, an abuse's too: it may be further out than its excursion says.
  const extreme = series.excursions.reduce((worst, e) => (distance(e.extremeCelsius) > distance(worst) ? e.extremeCelsius : worst), counted[0].extremeCelsius);
  return {
    count: counted.length,
    minutes: Math.round(counted.reduce((sum, e) => sum + e.durationMinutes, 0)),
    longestMinutes: Math.round(Math.max(...counted.map((e) => e.durationMinutes))),
    extremeCelsius: extreme,
    above: series.range.maxCelsius !== null && extreme > series.range.maxCelsius,
  };
};
