import { ConfigError } from '@app/platform';
import { DEFAULT_TEMPERATURE_RULES } from '@app/domain';
import { envTemperatureRules } from './temperature-config';

describe('temperature rules from the environment', () => {
  it('nothing set: the defaults', () => {
    expect(envTemperatureRules({})).toEqual(DEFAULT_TEMPERATURE_RULES);
  });

  it('ranges as min..max (either side open), holds as degrees or none, durations in minutes', () => {
    const rules = envTemperatureRules({
      TEMP_RANGE_FROZEN_C: '..-20',
      TEMP_RANGE_CHILLED_C: '-1..5',
      TEMP_RANGE_FRUIT_C: '2..',
      TEMP_HOLD_ABOVE_FROZEN_C: '-15',
      TEMP_HOLD_ABOVE_CHILLED_C: 'none',
      TEMP_HOLD_ABOVE_FRUIT_C: '25',
      TEMP_TOLERANCE_MINUTES: '15',
      TEMP_HOLD_MINUTES: '30',
      TEMP_WINDOW_MINUTES: '720',
      TEMP_LOG_GAP_MINUTES: '20',
    });
    expect(rules).toEqual({
      categories: {
        FROZEN: { range: { minCelsius: null, maxCelsius: -20 }, toleranceMinutes: 15, hardLimit: { aboveCelsius: -15, belowCelsius: null, minutes: 30 } },
        CHILLED: { range: { minCelsius: -1, maxCelsius: 5 }, toleranceMinutes: 15, hardLimit: null },
        FRUIT: { range: { minCelsius: 2, maxCelsius: null }, toleranceMinutes: 15, hardLimit: { aboveCelsius: 25, belowCelsius: null, minutes: 30 } },
      },
      windowMinutes: 720,
      gapMinutes: 20,
    });
  });

  it.each([
    [{ TEMP_RANGE_FROZEN_C: '-18' }, /TEMP_RANGE_FROZEN_C must be a range of degrees Celsius as min\.\.max .* got "-18"/],
    [{ TEMP_RANGE_CHILLED_C: '4..0' }, /TEMP_RANGE_CHILLED_C must be a range/],
    [{ TEMP_HOLD_ABOVE_FROZEN_C: 'warm' }, /TEMP_HOLD_ABOVE_FROZEN_C must be degrees Celsius or "none", got "warm"/],
    [{ TEMP_LOG_GAP_MINUTES: '0' }, /TEMP_LOG_GAP_MINUTES must be an integer >= 1/],
    [{ TEMP_LIMIT_FROZEN_C: '-15' }, /TEMP_LIMIT_FROZEN_C is no longer read: set TEMP_RANGE_FROZEN_C/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => envTemperatureRules(env)).toThrow(ConfigError);
    expect(() => envTemperatureRules(env)).toThrow(message);
  });
});
