import { CategoryTemperatureRule, DEFAULT_TEMPERATURE_RULES, PRODUCT_CATEGORIES, ProductCategory, TemperatureRange, TemperatureRules } from '@app/domain';
import { ConfigError, envInt } from '@app/platform';

/** "min..max", either side may be empty: "..-18", "0..4". */
const RANGE = /^\s*(-?\d+(?:\.\d+)?)?\s*\.\.\s*(-?\d+(?:\.\d+)?)?\s*$/;

const rangeText = (r: TemperatureRange): string => `${r.minCelsius ?? ''}..${r.maxCelsius ?? ''}`;

const envRange = (env: NodeJS.ProcessEnv, name: string, fallback: TemperatureRange): TemperatureRange => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const m = RANGE.exec(raw);
  const range = m && { minCelsius: m[1] === undefined ? null : Number(m[1]), maxCelsius: m[2] === undefined ? null : Number(m[2]) };
  if (!range || (range.minCelsius !== null && range.maxCelsius !== null && range.minCelsius > range.maxCelsius)) {
    throw new ConfigError(`${name} must be a range of degrees Celsius as min..max (either side may be left empty), e.g. "${rangeText(fallback)}", got "${raw}"`);
  }
  return range;
};

/** A number, or "none" (no hold for that category). */
const envHold = (env: NodeJS.ProcessEnv, name: string, fallback: number | null): number | null => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw.trim().toLowerCase() === 'none') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ConfigError(`${name} must be degrees Celsius or "none", got "${raw}"`);
  return n;
};

/**
 * The temperature-log rules from the environment, per category:
 * `TEMP_RANGE_<CATEGORY>_C` (the range), `TEMP_HOLD_ABOVE_<CATEGORY>_C` (the
 * hard limit, or none), and for all: `TEMP_TOLERANCE_MINUTES`,
 * `TEMP_HOLD_MINUTES`, `TEMP_WINDOW_MINUTES`, `TEMP_LOG_GAP_MINUTES`. The
 * single per-scan limits they replace (`TEMP_LIMIT_<CATEGORY>_C`) are refused
 * by name, so a deployment that set one hears of it rather than losing it.
 */
export const envTemperatureRules = (env: NodeJS.ProcessEnv): TemperatureRules => {
  for (const category of PRODUCT_CATEGORIES) {
    const old = `TEMP_LIMIT_${category}_C`;
    if (env[old] !== undefined && env[old] !== '') {
      throw new ConfigError(`${old} is no longer read: set TEMP_RANGE_${category}_C (a range, min..max) instead; a scan's temperature and temperature logs are judged against it`);
    }
  }
  const defaults = DEFAULT_TEMPERATURE_RULES;
  const toleranceMinutes = envInt(env, 'TEMP_TOLERANCE_MINUTES', defaults.categories.FROZEN.toleranceMinutes, 0);
  const holdMinutes = envInt(env, 'TEMP_HOLD_MINUTES', defaults.categories.FROZEN.hardLimit!.minutes, 1);
  const rule = (category: ProductCategory): CategoryTemperatureRule => {
    const d = defaults.categories[category];
    const above = envHold(env, `TEMP_HOLD_ABOVE_${category}_C`, d.hardLimit?.aboveCelsius ?? null);
    return {
      range: envRange(env, `TEMP_RANGE_${category}_C`, d.range),
      toleranceMinutes,
      hardLimit: above === null ? null : { aboveCelsius: above, belowCelsius: null, minutes: holdMinutes },
    };
  };
  return {
    categories: { FROZEN: rule('FROZEN'), CHILLED: rule('CHILLED'), FRUIT: rule('FRUIT') },
    windowMinutes: envInt(env, 'TEMP_WINDOW_MINUTES', defaults.windowMinutes, 1),
    gapMinutes: envInt(env, 'TEMP_LOG_GAP_MINUTES', defaults.gapMinutes, 1),
  };
};
