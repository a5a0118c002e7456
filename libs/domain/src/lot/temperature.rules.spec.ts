import { deepFreeze } from '../testing/given-when-then';
import { ProductCategory } from './lot.types';
import {
  DEFAULT_TEMPERATURE_RULES,
  inheritedReadings,
  judgeTemperatures,
  TemperatureExcursion,
  TemperatureJudgement,
  TemperatureReading,
  TemperatureRules,
} from './temperature.rules';

const START = Date.parse('2026-11-20T00:00:00Z');
const MINUTE = 60_000;
/** The instant `minutes` after the log starts. */
const t = (minutes: number): string => new Date(START + minutes * MINUTE).toISOString();

/** A logger's readings every `step` minutes from `from` (inclusive) to `to` (exclusive), each at `celsius(minute)`. */
const log = (from: number, to: number, step: number, celsius: (minute: number) => number, deviceId = 'reefer-1'): TemperatureReading[] => {
  const readings: TemperatureReading[] = [];
  for (let m = from; m < to; m += step) readings.push({ deviceId, at: t(m), celsius: celsius(m) });
  return readings;
};

/** `celsius` inside [from, to) minutes, `otherwise` elsewhere. */
const during = (from: number, to: number, celsius: number, otherwise: number) => (m: number) => (m >= from && m < to ? celsius : otherwise);

const THREE_DAYS = 3 * 24 * 60;

/** given the lot's category (and rules), when its readings are judged, then this judgement. */
const given = (category: ProductCategory, rules: TemperatureRules = DEFAULT_TEMPERATURE_RULES) => ({
  when: (readings: readonly TemperatureReading[]) => ({
    judgement: (): TemperatureJudgement => judgeTemperatures(category, deepFreeze(readings), deepFreeze(rules)),
    then: (expected: Partial<TemperatureJudgement>) => expect(judgeTemperatures(category, deepFreeze(readings), deepFreeze(rules))).toEqual({ excursions: [], gaps: [], verdict: { held: false }, ...expected }),
  }),
});

const excursion = (from: number, to: number, durationMinutes: number, extremeCelsius: number, kind: TemperatureExcursion['kind'] = 'EXCURSION'): TemperatureExcursion => ({
  from: t(from),
  to: t(to),
  durationMinutes,
  extremeCelsius,
  kind,
});

describe('judgeTemperatures: the cold-chain rules on a lot\'s temperature log', () => {
  describe('a three-day log at 5-minute intervals (864 readings)', () => {
    it('inside the range throughout: nothing, the lot is not held', () => {
      const readings = log(0, THREE_DAYS, 5, (m) => -22 + (m % 60) / 60);
      expect(readings).toHaveLength(864);
      given('FROZEN').when(readings).then({});
    });

    it('with 3 h at -5 °C in it: a FROZEN lot is abused and held (180 min, not counted per reading)', () => {
      const readings = log(0, THREE_DAYS, 5, during(1440, 1620, -5, -20));
      given('FROZEN')
        .when(readings)
        .then({ excursions: [excursion(1440, 1620, 180, -5), excursion(1440, 1620, 180, -5, 'ABUSE')], verdict: { held: true } });
    });
  });

  describe('the range edges are inside the range', () => {
    it('FROZEN at exactly -18 °C for 3 h: nothing; at -17.9 °C: an excursion, not an abuse', () => {
      given('FROZEN').when(log(0, 240, 5, during(30, 210, -18, -20))).then({});
      given('FROZEN').when(log(0, 240, 5, during(30, 210, -17.9, -20))).then({ excursions: [excursion(30, 210, 180, -17.9)] });
    });

    it('CHILLED at exactly 0 °C and 4 °C: nothing; at -0.1 °C (too cold) or 4.1 °C (too warm): an excursion', () => {
      given('CHILLED').when(log(0, 240, 5, (m) => (m < 120 ? 0 : 4))).then({});
      given('CHILLED').when(log(0, 240, 5, during(30, 90, -0.1, 2))).then({ excursions: [excursion(30, 90, 60, -0.1)] });
      given('CHILLED').when(log(0, 240, 5, during(30, 90, 4.1, 2))).then({ excursions: [excursion(30, 90, 60, 4.1)] });
    });

    it('the extreme is the reading furthest outside the range, on either side', () => {
      const readings = log(0, 240, 5, (m) => (m >= 30 && m < 60 ? 5 : m >= 60 && m < 90 ? -3 : 2));
      given('CHILLED').when(readings).then({ excursions: [excursion(30, 90, 60, -3)] });
    });
  });

  describe('the tolerance: 30 minutes outside is tolerated, longer is not', () => {
    it('exactly 30 min at -15 °C: nothing', () => {
      given('FROZEN').when(log(0, 120, 1, during(10, 40, -15, -20))).then({});
    });

    it('31 min at -15 °C: an excursion of 31 min', () => {
      given('FROZEN').when(log(0, 120, 1, during(10, 41, -15, -20))).then({ excursions: [excursion(10, 41, 31, -15)] });
    });

    it('the tolerance is cumulative: two 20-min spells an hour apart are one excursion of 40 min', () => {
      given('FROZEN')
        .when(log(0, 180, 5, (m) => (m >= 10 && m < 30 ? -16 : m >= 90 && m < 110 ? -14 : -20)))
        .then({ excursions: [excursion(10, 110, 40, -14)] });
    });

    it('is configurable per category', () => {
      const lenient = { ...DEFAULT_TEMPERATURE_RULES, categories: { ...DEFAULT_TEMPERATURE_RULES.categories, FROZEN: { ...DEFAULT_TEMPERATURE_RULES.categories.FROZEN, toleranceMinutes: 45 } } };
      given('FROZEN', lenient).when(log(0, 120, 1, during(10, 41, -15, -20))).then({});
      given('FROZEN', lenient).when(log(0, 120, 1, during(10, 56, -15, -20))).then({ excursions: [excursion(10, 56, 46, -15)] });
    });
  });

  describe('the 24 h window slides', () => {
    // 20 min out at the start, 20 more a day later: a window holds both only in part.
    const twoSpells = (secondFrom: number) => log(0, 1500, 1, (m) => (m < 20 || (m >= secondFrom && m < secondFrom + 20) ? -15 : -20));

    it('20 min, then 20 min starting 23:50 later: no window holds more than 10 + 20 = 30 min, nothing', () => {
      given('FROZEN').when(twoSpells(1430)).then({});
    });

    it('20 min, then 20 min starting 23:49 later: the window ending at 24:09 holds 11 + 20 = 31 min, one excursion', () => {
      given('FROZEN').when(twoSpells(1429)).then({ excursions: [excursion(0, 1449, 40, -15)] });
    });

    it('20 min spells every 13 hours: each window holds two (40 min), excursions chain into one', () => {
      const readings = log(0, 3000, 5, (m) => (m % 780 < 20 ? -15 : -20));
      given('FROZEN').when(readings).then({ excursions: [excursion(0, 2360, 80, -15)] });
    });
  });

  describe('the hard limit holds the lot', () => {
    it('FROZEN at exactly -12 °C for 3 h: an excursion, not an abuse', () => {
      given('FROZEN').when(log(0, 240, 5, during(30, 210, -12, -20))).then({ excursions: [excursion(30, 210, 180, -12)] });
    });

    it('FROZEN above -12 °C for 55 min: an excursion; for exactly 60 min: abused and held', () => {
      given('FROZEN').when(log(0, 240, 5, during(30, 85, -11, -20))).then({ excursions: [excursion(30, 85, 55, -11)] });
      given('FROZEN')
        .when(log(0, 240, 5, during(30, 90, -11, -20)))
        .then({ excursions: [excursion(30, 90, 60, -11), excursion(30, 90, 60, -11, 'ABUSE')], verdict: { held: true } });
    });

    it('the abuse is the part beyond the hard limit within the longer excursion', () => {
      const readings = log(0, 300, 5, (m) => (m >= 30 && m < 60 ? -15 : m >= 60 && m < 130 ? -8 : m >= 130 && m < 150 ? -14 : -20));
      given('FROZEN')
        .when(readings)
        .then({ excursions: [excursion(30, 150, 120, -8), excursion(60, 130, 70, -8, 'ABUSE')], verdict: { held: true } });
    });

    it('CHILLED above 8 °C for 60 min: held', () => {
      given('CHILLED')
        .when(log(0, 240, 5, during(30, 90, 9, 2)))
        .then({ excursions: [excursion(30, 90, 60, 9), excursion(30, 90, 60, 9, 'ABUSE')], verdict: { held: true } });
    });

    it('FRUIT has no hard limit: 5 h at 20 °C is an excursion, the lot is not held', () => {
      given('FRUIT').when(log(0, 480, 5, during(60, 360, 20, 6))).then({ excursions: [excursion(60, 360, 300, 20)] });
    });
  });

  describe('several uploads, devices and repeats', () => {
    const inOrder = log(0, THREE_DAYS, 5, during(1440, 1620, -5, -20));

    it('out-of-order uploads, each sent twice: the same judgement as one upload in order', () => {
      const uploads = [inOrder.slice(600), inOrder.slice(0, 300), inOrder.slice(300, 600)];
      const scrambled = [...uploads[0].reverse(), ...uploads[1], ...uploads[2], ...uploads[1], ...uploads[0]];
      expect(judgeTemperatures('FROZEN', deepFreeze(scrambled))).toEqual(judgeTemperatures('FROZEN', deepFreeze(inOrder)));
    });

    it('a repeated (deviceId, at) counts once: the first given, as the store keeps the first upload', () => {
      const first = [{ deviceId: 'reefer-1', at: t(0), celsius: -15 }];
      const later = [{ deviceId: 'reefer-1', at: t(0), celsius: -20 }];
      const rest = log(40, 60, 5, () => -20);
      given('FROZEN').when([...first, ...later, ...rest]).then({ excursions: [excursion(0, 40, 40, -15)] });
      given('FROZEN').when([...later, ...first, ...rest]).then({});
    });

    it('two loggers reporting the same 3 h at -5 °C: 180 min, not 360', () => {
      const readings = [...inOrder, ...log(0, THREE_DAYS, 5, during(1440, 1620, -5, -20), 'reefer-2')];
      given('FROZEN')
        .when(readings)
        .then({ excursions: [excursion(1440, 1620, 180, -5), excursion(1440, 1620, 180, -5, 'ABUSE')], verdict: { held: true } });
    });

    it('the lot is outside its range while any logger says so', () => {
      const readings = [...log(0, 240, 5, () => -20, 'reefer-1'), ...log(2, 240, 5, during(32, 92, -10, -20), 'door-probe')];
      given('FROZEN').when(readings).then({ excursions: [excursion(32, 92, 60, -10), excursion(32, 92, 60, -10, 'ABUSE')], verdict: { held: true } });
    });

    it('times written at +08:00 are the same instants: the same judgement, reported in UTC', () => {
      const utc = log(0, 120, 1, during(10, 41, -15, -20));
      const atShanghai = utc.map((r) => ({ ...r, at: new Date(Date.parse(r.at) + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00') }));
      expect(atShanghai[0].at).toBe('2026-11-20T08:00:00+08:00');
      given('FROZEN').when(atShanghai).then({ excursions: [excursion(10, 41, 31, -15)] });
    });

    it('a reading without a valid time is refused, not skipped', () => {
      expect(() => judgeTemperatures('FROZEN', [{ deviceId: 'reefer-1', at: 'yesterday', celsius: -20 }])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    });

    it('a device\'s last reading lasts no time (nothing is known after it)', () => {
      given('FROZEN').when([...log(0, 60, 5, () => -20), { deviceId: 'reefer-1', at: t(60), celsius: 5 }]).then({});
    });
  });

  describe('gaps in the log: a flag, not a block', () => {
    it('readings 61 min apart: a gap; 60 min apart: none', () => {
      given('FROZEN').when([...log(0, 60, 5, () => -20), ...log(116, 180, 5, () => -20)]).then({ gaps: [{ from: t(55), to: t(116), minutes: 61 }] });
      given('FROZEN').when([...log(0, 60, 5, () => -20), ...log(115, 180, 5, () => -20)]).then({});
    });

    it('another device\'s readings fill a device\'s silence: no gap', () => {
      given('FROZEN').when([...log(0, 60, 5, () => -20, 'truck'), ...log(60, 180, 5, () => -20, 'cold-room')]).then({});
    });

    it('a reading before a gap holds only the gap interval: -5 °C then 3 h of silence is 60 min beyond the hard limit', () => {
      const readings = [...log(0, 60, 5, () => -20), { deviceId: 'reefer-1', at: t(60), celsius: -5 }, ...log(240, 300, 5, () => -20)];
      given('FROZEN')
        .when(readings)
        .then({
          excursions: [excursion(60, 120, 60, -5), excursion(60, 120, 60, -5, 'ABUSE')],
          gaps: [{ from: t(60), to: t(240), minutes: 180 }],
          verdict: { held: true },
        });
    });
  });

  describe('a split child inherits its parent\'s log up to the split', () => {
    const parent = log(0, 600, 5, during(60, 240, -5, -20), 'reefer-1');

    it('split after an abuse: the child is held too', () => {
      const child = log(300, 600, 5, () => -20, 'cold-room');
      const judged = judgeTemperatures('FROZEN', deepFreeze(inheritedReadings(child, [{ readings: parent, until: t(300) }])));
      expect(judged.verdict).toEqual({ held: true });
      expect(judged.excursions).toContainEqual(excursion(60, 240, 180, -5, 'ABUSE'));
    });

    it('the parent\'s readings after the split are not the child\'s', () => {
      const child = log(30, 600, 5, () => -20, 'cold-room');
      given('FROZEN').when(inheritedReadings(child, [{ readings: parent, until: t(30) }])).then({});
    });
  });
});
