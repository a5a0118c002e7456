import { get, lotPath } from './api.js';
import { h } from './dom.js';
import { formatTime, num, t, tn } from './i18n.js';
import { chartResolution, SVG_NS, temperatureChart, type ChartSeries, type SvgNode } from './temperature-chart.js';
import type { TemperatureSeries } from './types.js';

/** The chart's data as SVG elements, built with createElementNS: no markup parsed, as everywhere in the console. */
const svgElement = (n: SvgNode): SVGElement => {
  const el = document.createElementNS(SVG_NS, n.tag);
  for (const [name, value] of Object.entries(n.attrs)) if (name !== 'xmlns') el.setAttribute(name, String(value));
  for (const child of n.children) el.append(typeof child === 'string' ? child : svgElement(child));
  return el;
};

const celsius = (value: number): string => t('temperature.celsius', { value: num(Math.round(value * 10) / 10) });

const rangeText = (range: ChartSeries['range']): string =>
  range.minCelsius === null && range.maxCelsius === null
    ? t('temperature.rangeAny')
    : range.minCelsius === null
      ? t('temperature.rangeAtMost', { max: celsius(range.maxCelsius!) })
      : range.maxCelsius === null
        ? t('temperature.rangeAtLeast', { min: celsius(range.minCelsius) })
        : t('temperature.rangeBetween', { min: celsius(range.minCelsius), max: celsius(range.maxCelsius) });

/**
 * The log in words, what the chart shows for a reader who cannot see it:
 * readings and their lowest and highest, then every excursion (an ABUSE is
 * one too, within its EXCURSION), the longest and the reading furthest out,
 * then the gaps.
 */
export const temperatureSummary = (s: TemperatureSeries): string => {
  const parts = [tn('temperature.readings', s.readings, { min: celsius(s.points.reduce((m, p) => Math.min(m, p.min), Infinity)), max: celsius(s.points.reduce((m, p) => Math.max(m, p.max), -Infinity)) })];
  const distance = (c: number): number =>
    s.range.maxCelsius !== null && c > s.range.maxCelsius ? c - s.range.maxCelsius : s.range.minCelsius !== null && c < s.range.minCelsius ? s.range.minCelsius - c : 0;
  if (s.excursions.length === 0) parts.push(t('temperature.noExcursion'));
  else {
    const longest = Math.max(...s.excursions.map((e) => e.durationMinutes));
    const extreme = s.excursions.map((e) => e.extremeCelsius).reduce((a, b) => (distance(b) > distance(a) ? b : a));
    parts.push(tn('temperature.excursions', s.excursions.length, { longest: num(Math.round(longest)), extreme: celsius(extreme) }));
    const abuses = s.excursions.filter((e) => e.kind === 'ABUSE').length;
    if (abuses > 0) parts.push(tn('temperature.abuses', abuses));
  }
  if (s.gaps.length > 0) parts.push(tn('temperature.gaps', s.gaps.length, { minutes: num(Math.round(s.gaps.reduce((sum, g) => sum + g.minutes, 0))) }));
  return parts.join(t('temperature.separator'));
};

/**
 * The lot's temperature log (GET /api/lots/:traceCode/temperatures): a line
 * chart of the bucket means with their min–max, the category's range shaded,
 * excursions marked, and the same in words beside it; "no log" when there is
 * none. A failure to read it stays in this section: the rest of the lot page
 * does not depend on it.
 */
export const temperatureSection = async (traceCode: string): Promise<HTMLElement> => {
  const heading = h('h2', { id: 'temperature-heading' }, t('temperature.title'));
  const section = h('section', { 'aria-labelledby': 'temperature-heading', id: 'temperature', class: 'temperature' }, heading);
  let s: TemperatureSeries;
  try {
    s = await get<TemperatureSeries>(`${lotPath(traceCode)}/temperatures`, { resolution: chartResolution() });
  } catch {
    section.append(h('p', { class: 'muted', id: 'temperature-summary' }, t('temperature.unavailable')));
    return section;
  }
  if (s.points.length === 0) {
    section.append(h('p', { id: 'temperature-summary', 'data-readings': 0 }, t('temperature.none')));
    return section;
  }
  const summary = temperatureSummary(s);
  const chart = temperatureChart(s, { title: t('temperature.chartTitle', { traceCode: s.traceCode }), description: summary, time: formatTime, celsius });
  section.append(
    h('p', { id: 'temperature-summary', 'data-readings': s.readings }, summary),
    h('p', { class: 'help' }, t('temperature.legend', { range: rangeText(s.range) })),
    h('figure', { class: 'temperature-chart-frame' }, chart ? svgElement(chart) : null),
  );
  return section;
};
