import { invalid } from '../shared/domain-error';
import { ProductCategory } from './lot.types';

/**
 * The cold-chain rules for a lot's temperature log, pure: the caller loads the
 * readings (its own and those it inherits, see inheritedReadings) and the
 * configuration; this judges them.
 *
 * How time is attributed: a reading's value holds from its time until the next
 * reading of the SAME device, but at most `gapMinutes` (past that nobody knows;
 * the log has a gap). A device's last reading therefore lasts no time. So 36
 * readings at -5 °C five minutes apart, followed by a reading back in range,
 * are 180 minutes at -5 °C. Devices are judged together: the lot is outside
 * its range while ANY device says so (two loggers in one reefer reporting the
 * same three hours make three hours, not six).
 */

/** One logged reading. Times are full ISO timestamps, validated on the way in (time.ts `iso`). */
export interface TemperatureReading {
  readonly deviceId: string;
  readonly at: string;
  readonly celsius: number;
}

/** Inclusive bounds: -18 is inside "at most -18". null: unbounded on that side. */
export interface TemperatureRange {
  readonly minCelsius: number | null;
  readonly maxCelsius: number | null;
}

/**
 * Beyond these temperatures (strictly: "above -12" lets -12 pass) for `minutes`
 * or more, cumulative within any window, the lot is abused and held.
 */
export interface TemperatureHardLimit {
  readonly aboveCelsius: number | null;
  readonly belowCelsius: number | null;
  readonly minutes: number;
}

export interface CategoryTemperatureRule {
  readonly range: TemperatureRange;
  /** Time outside the range tolerated within any window; strictly longer is an excursion. */
  readonly toleranceMinutes: number;
  /** null: being outside the range is an excursion to look at, never a hold. */
  readonly hardLimit: TemperatureHardLimit | null;
}

export interface TemperatureRules {
  readonly categories: Readonly<Record<ProductCategory, CategoryTemperatureRule>>;
  /** The sliding window the tolerance and the hard limit are cumulated over. */
  readonly windowMinutes: number;
  /** Readings further apart than this (all devices together) leave a gap; also caps how long a reading holds. */
  readonly gapMinutes: number;
}

/**
 * Defaults. Ranges are the issue's. Hard limits: FROZEN above -12 °C (where
 * frozen food starts to thaw and microbes to grow) for 60 min, as the issue
 * asks; CHILLED above 8 °C for 60 min (8 °C is already the single-scan limit
 * for chilled goods, DEFAULT_TEMPERATURE_LIMITS, and the usual ceiling of the
 * chill chain for meat and fish); FRUIT none: fruit out of its range loses
 * quality, not safety, so the excursion is flagged for a regulator but nothing
 * is held.
 */
export const DEFAULT_TEMPERATURE_RULES: TemperatureRules = {
  categories: {
    FROZEN: { range: { minCelsius: null, maxCelsius: -18 }, toleranceMinutes: 30, hardLimit: { aboveCelsius: -12, belowCelsius: null, minutes: 60 } },
    CHILLED: { range: { minCelsius: 0, maxCelsius: 4 }, toleranceMinutes: 30, hardLimit: { aboveCelsius: 8, belowCelsius: null, minutes: 60 } },
    FRUIT: { range: { minCelsius: 0, maxCelsius: 10 }, toleranceMinutes: 30, hardLimit: null },
  },
  windowMinutes: 24 * 60,
  gapMinutes: 60,
};

export type TemperatureExcursionKind = 'EXCURSION' | 'ABUSE';

/**
 * A run of time outside the range (EXCURSION) or beyond the hard limit (ABUSE)
 * that breaks the rule: its episodes, from the first one's start to the last
 * one's end, grouped when one window holds them. `durationMinutes` is the time
 * actually spent outside (may be fractional), `extremeCelsius` the reading
 * furthest from the range. An ABUSE lies within an EXCURSION (with the
 * defaults): both are reported.
 */
export interface TemperatureExcursion {
  readonly from: string;
  readonly to: string;
  readonly durationMinutes: number;
  readonly extremeCelsius: number;
  readonly kind: TemperatureExcursionKind;
}

/** Consecutive readings (any device) further apart than the gap interval: a flag, not a block. */
export interface TemperatureGap {
  readonly from: string;
  readonly to: string;
  readonly minutes: number;
}

export interface TemperatureJudgement {
  readonly excursions: TemperatureExcursion[];
  readonly gaps: TemperatureGap[];
  /** An ABUSE holds the lot (sale and trade refused) until a regulator resolves it. */
  readonly verdict: { readonly held: boolean };
}

const MINUTE_MS = 60_000;

/** An interval [start, end) in epoch ms spent outside, with its worst reading. */
interface Episode {
  start: number;
  end: number;
  extreme: number;
  /** How far the extreme is outside the range, to compare readings on either side of it. */
  distance: number;
}

/** A reading with its time as epoch milliseconds: what the rules work on (a store may answer these directly). */
export interface TemperatureSample {
  readonly deviceId: string;
  readonly t: number;
  readonly celsius: number;
}
type Sample = TemperatureSample;

const distanceOutside = (c: number, range: TemperatureRange): number =>
  range.maxCelsius !== null && c > range.maxCelsius ? c - range.maxCelsius : range.minCelsius !== null && c < range.minCelsius ? range.minCelsius - c : 0;

const beyondHardLimit = (c: number, limit: TemperatureHardLimit): boolean =>
  (limit.aboveCelsius !== null && c > limit.aboveCelsius) || (limit.belowCelsius !== null && c < limit.belowCelsius);

const toSamples = (readings: readonly TemperatureReading[]): Sample[] =>
  readings.map((r, i): Sample => {
    const t = Date.parse(r.at);
    if (Number.isNaN(t)) throw invalid('VALIDATION_FAILED', `reading ${i} has no valid time: ${r.at}`, { field: `readings[${i}].at` });
    return { deviceId: r.deviceId, t, celsius: r.celsius };
  });

/** Sorted by device then time; a repeated (deviceId, at) counts once, the first given (as the store keeps the first upload). */
const samplesOf = (given: readonly Sample[]): Sample[] => {
  const samples = [...given];
  // Array.prototype.sort is stable: among duplicates the first given stays first.
  samples.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.t - b.t));
  return samples.filter((s, i) => i === 0 || s.deviceId !== samples[i - 1].deviceId || s.t !== samples[i - 1].t);
};

/** Merges overlapping or touching intervals (any device) into episodes on one timeline. */
const unite = (intervals: Episode[]): Episode[] => {
  intervals.sort((a, b) => a.start - b.start);
  const merged: Episode[] = [];
  for (const x of intervals) {
    const last = merged[merged.length - 1];
    if (last && x.start <= last.end) {
      last.end = Math.max(last.end, x.end);
      if (x.distance > last.distance) {
        last.extreme = x.extreme;
        last.distance = x.distance;
      }
    } else {
      merged.push({ ...x });
    }
  }
  return merged;
};

/**
 * The episodes breaking the rule, grouped: for each episode, the time spent
 * outside in the window ending at its end (the most any window can hold is
 * found at some episode's end, so checking those suffices). When it breaks
 * the rule, every episode reaching into that window belongs to the same
 * excursion. Two pointers over the episodes: linear.
 */
const breaches = (episodes: readonly Episode[], windowMs: number, breaks: (outsideMs: number) => boolean, kind: TemperatureExcursionKind): TemperatureExcursion[] => {
  const found: TemperatureExcursion[] = [];
  const prefix = [0];
  for (const e of episodes) prefix.push(prefix[prefix.length - 1] + (e.end - e.start));
  let first = 0;
  let group: { from: number; to: number } | null = null;
  const close = (): void => {
    if (!group) return;
    let extreme = episodes[group.from];
    for (let k = group.from + 1; k <= group.to; k++) if (episodes[k].distance > extreme.distance) extreme = episodes[k];
    found.push({
      from: new Date(episodes[group.from].start).toISOString(),
      to: new Date(episodes[group.to].end).toISOString(),
      durationMinutes: (prefix[group.to + 1] - prefix[group.from]) / MINUTE_MS,
      extremeCelsius: extreme.extreme,
      kind,
    });
    group = null;
  };
  for (let i = 0; i < episodes.length; i++) {
    const windowStart = episodes[i].end - windowMs;
    while (episodes[first].end <= windowStart) first++;
    const outside = prefix[i + 1] - prefix[first] - Math.max(0, windowStart - episodes[first].start);
    if (!breaks(outside)) continue;
    if (group && first <= group.to) {
      group.to = i;
    } else {
      close();
      group = { from: first, to: i };
    }
  }
  close();
  return found;
};

const gapsOf = (samples: readonly Sample[], gapMs: number): TemperatureGap[] => {
  const times = Float64Array.from(samples, (s) => s.t).sort();
  const gaps: TemperatureGap[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    if (gap > gapMs) gaps.push({ from: new Date(times[i - 1]).toISOString(), to: new Date(times[i]).toISOString(), minutes: gap / MINUTE_MS });
  }
  return gaps;
};

/**
 * Judges a lot's temperature log against its category's rules: excursions
 * (tolerance exceeded) and abuses (hard limit reached) in time order, gaps, and
 * whether the lot is held. Readings may come in any order, from several
 * devices and uploads, with repeats: the answer is the same. O(n log n).
 */
export const judgeTemperatures = (
  category: ProductCategory,
  readings: readonly TemperatureReading[],
  rules: TemperatureRules = DEFAULT_TEMPERATURE_RULES,
): TemperatureJudgement => judgeTemperatureSamples(category, toSamples(readings), rules);

/** judgeTemperatures on readings whose times are epoch milliseconds already. */
export const judgeTemperatureSamples = (
  category: ProductCategory,
  given: readonly TemperatureSample[],
  rules: TemperatureRules = DEFAULT_TEMPERATURE_RULES,
): TemperatureJudgement => {
  const rule = rules.categories[category];
  const gapMs = rules.gapMinutes * MINUTE_MS;
  const windowMs = rules.windowMinutes * MINUTE_MS;
  const samples = samplesOf(given);
  const outside: Episode[] = [];
  const beyond: Episode[] = [];
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const next = samples[i + 1];
    const end = next && next.deviceId === s.deviceId ? Math.min(next.t, s.t + gapMs) : s.t;
    const distance = distanceOutside(s.celsius, rule.range);
    if (end === s.t || distance === 0) continue;
    const episode = { start: s.t, end, extreme: s.celsius, distance };
    outside.push(episode);
    if (rule.hardLimit && beyondHardLimit(s.celsius, rule.hardLimit)) beyond.push({ ...episode });
  }
  const toleranceMs = rule.toleranceMinutes * MINUTE_MS;
  const excursions = breaches(unite(outside), windowMs, (ms) => ms > toleranceMs, 'EXCURSION');
  const hardMs = (rule.hardLimit?.minutes ?? Infinity) * MINUTE_MS;
  const abuses = breaches(unite(beyond), windowMs, (ms) => ms >= hardMs, 'ABUSE');
  const all = [...excursions, ...abuses].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.kind === b.kind ? 0 : a.kind === 'EXCURSION' ? -1 : 1));
  return { excursions: all, gaps: gapsOf(samples, gapMs), verdict: { held: abuses.length > 0 } };
};

/** The log a lot had through an ancestor until it was split (or repacked) from it. */
export interface InheritedLog {
  readonly readings: readonly TemperatureReading[];
  /** When the lot left the ancestor: the ancestor's readings after this are not the lot's. */
  readonly until: string;
}

/**
 * A split child's whole log: its ancestors' readings up to (and including) the
 * split, then its own, so an excursion before the split holds the child too.
 * The caller walks the genealogy (parent, grandparent, ...), each line cut at
 * the time the lot's line left it.
 */
export const inheritedReadings = (own: readonly TemperatureReading[], ancestors: readonly InheritedLog[]): TemperatureReading[] => [
  ...ancestors.flatMap((a) => {
    const until = Date.parse(a.until);
    return a.readings.filter((r) => Date.parse(r.at) <= until);
  }),
  ...own,
];

/**
 * What a lot's record keeps of its temperature log's judgements, by period:
 * an excursion (a flag), an abuse (a violation that holds the lot) or a gap
 * (a flag). Each is recorded once: a later judgement showing one that
 * overlaps a recorded one of its kind shows the same one (a late upload may
 * widen it), not a new one.
 */
export const TEMPERATURE_FINDING_KINDS = ['EXCURSION', 'ABUSE', 'GAP'] as const satisfies readonly (TemperatureExcursionKind | 'GAP')[];
export type TemperatureFindingKind = (typeof TEMPERATURE_FINDING_KINDS)[number];

export interface TemperatureFinding {
  readonly kind: TemperatureFindingKind;
  readonly from: string;
  readonly to: string;
}

const overlaps = (a: { from: string; to: string }, b: { from: string; to: string }): boolean =>
  Date.parse(a.from) <= Date.parse(b.to) && Date.parse(b.from) <= Date.parse(a.to);

/** The excursions, abuses and gaps of a judgement that nothing on record shows yet. */
export const newFindings = (judgement: TemperatureJudgement, known: readonly TemperatureFinding[]): { excursions: TemperatureExcursion[]; gaps: TemperatureGap[] } => {
  const unknown = (kind: TemperatureFindingKind, period: { from: string; to: string }) => !known.some((k) => k.kind === kind && overlaps(k, period));
  return { excursions: judgement.excursions.filter((e) => unknown(e.kind, e)), gaps: judgement.gaps.filter((g) => unknown('GAP', g)) };
};

/** Times normalised (as `iso` gives them, as the store answers them): one instant, one text. */
const readingKey = (r: TemperatureReading): string => `${r.at}\u0000${r.deviceId}`;

/**
 * The readings of an upload the log does not hold yet (both with normalised
 * times): a (deviceId, at)
 * already logged, or repeated in the upload, counts once, the first given
 * (a logger that sends its buffer again records nothing new).
 */
export const readingsNotIn = (log: readonly TemperatureReading[], upload: readonly TemperatureReading[]): TemperatureReading[] => {
  const seen = new Set(log.map(readingKey));
  return upload.filter((r) => {
    const key = readingKey(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** What the record says of an upload: how many readings, their extremes and their span. */
export interface UploadSummary {
  readonly count: number;
  readonly minCelsius: number;
  readonly maxCelsius: number;
  readonly firstAt: string;
  readonly lastAt: string;
}

/** The summary of a non-empty upload whose times are normalised ISO (as `iso` gives them). */
export const summariseUpload = (readings: readonly TemperatureReading[]): UploadSummary => {
  let min = Infinity, max = -Infinity, first = readings[0].at, last = readings[0].at;
  for (const r of readings) {
    if (r.celsius < min) min = r.celsius;
    if (r.celsius > max) max = r.celsius;
    if (r.at < first) first = r.at;
    if (r.at > last) last = r.at;
  }
  return { count: readings.length, minCelsius: min, maxCelsius: max, firstAt: first, lastAt: last };
};

/** A range in words: "≤ -18 °C", "0–4 °C". */
export const rangeText = (range: TemperatureRange): string =>
  range.minCelsius === null ? (range.maxCelsius === null ? 'any temperature' : `≤ ${range.maxCelsius} °C`) : range.maxCelsius === null ? `≥ ${range.minCelsius} °C` : `${range.minCelsius}–${range.maxCelsius} °C`;

/** A single reading (a scan's spot temperature) outside its category's range: a flag, it says nothing of how long. */
export const outsideRange = (category: ProductCategory, celsius: number, rules: TemperatureRules = DEFAULT_TEMPERATURE_RULES): boolean =>
  distanceOutside(celsius, rules.categories[category].range) > 0;

const minutesText = (minutes: number): string => `${Math.round(minutes * 10) / 10} min`;

/** What the record says of a finding, for people. */
export const findingMessage = (category: ProductCategory, finding: TemperatureExcursion | (TemperatureGap & { kind: 'GAP' }), rules: TemperatureRules = DEFAULT_TEMPERATURE_RULES): string => {
  const rule = rules.categories[category];
  if (finding.kind === 'GAP') return `no temperature reading from ${finding.from} to ${finding.to} (${minutesText(finding.minutes)}), longer than the ${rules.gapMinutes} min a log may skip`;
  if (finding.kind === 'ABUSE') {
    const limit = rule.hardLimit!;
    const beyond = [limit.aboveCelsius !== null ? `above ${limit.aboveCelsius} °C` : null, limit.belowCelsius !== null ? `below ${limit.belowCelsius} °C` : null].filter(Boolean).join(' or ');
    return `${category} goods ${beyond} for ${minutesText(finding.durationMinutes)} between ${finding.from} and ${finding.to} (extreme ${finding.extremeCelsius} °C, limit ${limit.minutes} min): held until a regulator resolves it`;
  }
  return `outside the ${rangeText(rule.range)} range for ${minutesText(finding.durationMinutes)} between ${finding.from} and ${finding.to} (extreme ${finding.extremeCelsius} °C, tolerance ${rule.toleranceMinutes} min in ${rules.windowMinutes / 60} h)`;
};

/** The id of the violation an abuse is: by when it began, which no other abuse of the lot shares (they do not overlap). */
export const temperatureAbuseId = (from: string): string => `T${from.replace(/[-:]/g, '').replace('.000', '')}.TEMPERATURE_ABUSE`;
