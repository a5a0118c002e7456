import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  judgeTemperatureSamples,
  ProductCategory,
  TemperatureExcursion,
  TemperatureGap,
  TemperatureRange,
} from '@app/domain';
import { TemperatureLogStore } from '@app/read-models';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';

/** The most points a series answers: enough for any screen, small enough to draw at once. */
export const MAX_SERIES_POINTS = 1000;

export interface TemperaturePoint {
  /** The first reading's time in its bucket. */
  at: string;
  /** The mean of the bucket's readings (all devices), to 2 decimals; min and max its extremes. */
  celsius: number;
  min: number;
  max: number;
}

export interface TemperatureSeriesView {
  traceCode: string;
  category: ProductCategory;
  range: TemperatureRange;
  /** Readings between `from` and `to` (all devices, inherited part included). */
  readings: number;
  points: TemperaturePoint[];
  /** What the rules find in the whole log, those reaching into the window. */
  excursions: TemperatureExcursion[];
  gaps: TemperatureGap[];
}

export interface SeriesWindow {
  readonly from?: string;
  readonly to?: string;
  /** At most this many points (≤ MAX_SERIES_POINTS). */
  readonly resolution?: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Readings (sorted by time) as at most `n` points: each reading its own point
 * when they fit, else equal time buckets, each its mean, min and max.
 */
export const downsample = (t: Float64Array, c: Float64Array, n: number): TemperaturePoint[] => {
  const points: TemperaturePoint[] = [];
  if (t.length === 0) return points;
  if (t.length <= n) {
    for (let i = 0; i < t.length; i++) points.push({ at: new Date(t[i]).toISOString(), celsius: c[i], min: c[i], max: c[i] });
    return points;
  }
  const first = t[0];
  const width = (t[t.length - 1] - first) / n || 1;
  let bucket = -1, sum = 0, count = 0, min = Infinity, max = -Infinity, at = 0;
  const close = () => count > 0 && points.push({ at: new Date(at).toISOString(), celsius: round2(sum / count), min, max });
  for (let i = 0; i < t.length; i++) {
    const b = Math.min(n - 1, Math.floor((t[i] - first) / width));
    if (b !== bucket) {
      close();
      bucket = b, sum = 0, count = 0, min = Infinity, max = -Infinity, at = t[i];
    }
    sum += c[i];
    count++;
    if (c[i] < min) min = c[i];
    if (c[i] > max) max = c[i];
  }
  close();
  return points;
};

const reaches = (p: { from: string; to: string }, from: number, to: number): boolean => Date.parse(p.to) >= from && Date.parse(p.from) <= to;

/**
 * A lot's temperature series as people look at it: the log (its own and
 * inherited readings, straight from the record: no projection lag) in a
 * window, downsampled, with what the rules find in it. No access check: the
 * caller has made it (the API route) or shows only what is public (the
 * shopper's page).
 */
@Injectable()
export class TemperatureSeries {
  constructor(
    @Inject(TemperatureLogStore) private readonly store: TemperatureLogStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The series of a lot, or null when no lot of that trace code is known. */
  async series(traceCode: string, window: SeriesWindow = {}): Promise<TemperatureSeriesView | null> {
    const [lot]: { category: ProductCategory | null }[] = await this.dataSource.query(`SELECT category FROM sale_eligibility WHERE trace_code = $1`, [traceCode]);
    if (!lot?.category) return null;
    return this.of(traceCode, lot.category, window);
  }

  /** The series of a lot whose category the caller knows. */
  async of(traceCode: string, category: ProductCategory, window: SeriesWindow = {}): Promise<TemperatureSeriesView> {
    const log = await this.store.samples(traceCode);
    const rules = this.config.temperatureRules;
    const judgement = judgeTemperatureSamples(category, log, rules);
    const from = window.from ? Date.parse(window.from) : -Infinity;
    const to = window.to ? Date.parse(window.to) : Infinity;
    const inWindow = log.filter((r) => r.t >= from && r.t <= to).sort((a, b) => a.t - b.t);
    const n = Math.min(window.resolution ?? MAX_SERIES_POINTS, MAX_SERIES_POINTS);
    return {
      traceCode,
      category,
      range: rules.categories[category].range,
      readings: inWindow.length,
      points: downsample(Float64Array.from(inWindow, (r) => r.t), Float64Array.from(inWindow, (r) => r.celsius), n),
      excursions: judgement.excursions.filter((e) => reaches(e, from, to)),
      gaps: judgement.gaps.filter((g) => reaches(g, from, to)),
    };
  }
}
