import { deepFreeze, given } from '../testing/given-when-then';
import { at, iso, logTemperatures, sellable, splitInto, splitLot, STORE, TRACE_CODE } from '../testing/lot-fixtures';
import { Principal } from '../access/access.types';
import { decideLots } from './lot-family.decider';
import { lotDecider } from './lot.decider';
import { LotEvent } from './lot.events';
import { evolveLot, LotState } from './lot.state';
import { saleEligibility } from './sale-eligibility.policy';
import { DEFAULT_TEMPERATURE_RULES, TemperatureReading } from './temperature.rules';

const storeOperator: Principal = { keyId: 'o', name: 'operator', role: 'OPERATOR', facilityIds: [STORE.id] };

/** The readings of an upload as the log keeps them afterwards. */
const asLog = (command: ReturnType<typeof logTemperatures>): TemperatureReading[] =>
  command.data.readings.map((r) => ({ deviceId: command.data.deviceId, at: new Date(Date.parse(r.at)).toISOString(), celsius: r.celsius }));

/** Readings every 5 min from hour 1: index 10 to 45 at -5 °C (3 h), else -20 °C. */
const threeHoursWarm = (i: number): number => (i >= 10 && i < 46 ? -5 : -20);

describe('RecordTemperatures: a lot\'s temperature log, uploaded and judged', () => {
  it('an upload inside the range: one TemperaturesRecorded with its summary, nothing else', () => {
    const upload = logTemperatures(1, 12, (i) => -20 - i / 10);
    given(lotDecider, sellable().events)
      .when(upload, at(9))
      .then([
        {
          type: 'TemperaturesRecorded',
          schemaVersion: 1,
          data: { uploadId: 'UP-1', deviceId: 'reefer-1', facilityId: STORE.id, count: 12, minCelsius: -21.1, maxCelsius: -20, firstAt: iso(1), lastAt: iso(1 + 55 / 60), occurredAt: iso(1), recordedAt: iso(9) },
        },
      ]);
  });

  it('3 h at -5 °C: the excursion (a flag) and the abuse (a violation that holds the lot), each once', () => {
    const h = sellable().run(logTemperatures(1, 60, threeHoursWarm), at(9));
    const found = h.events.filter((e) => e.type === 'TemperatureFindingRecorded');
    expect(found.map((e) => e.type === 'TemperatureFindingRecorded' && [e.data.kind, e.data.minutes, e.data.extremeCelsius, e.data.violationId])).toEqual([
      ['EXCURSION', 180, -5, null],
      ['ABUSE', 180, -5, 'T20220401T015000Z.TEMPERATURE_ABUSE'],
    ]);
    expect(h.state.violations.map((v) => [v.kind, v.status])).toEqual([['TEMPERATURE_ABUSE', 'OPEN']]);
    expect(h.state.flags.map((f) => f.flag)).toEqual(['TEMPERATURE_EXCURSION']);
    expect(saleEligibility(h.state, at(9)).reasons.map((r) => r.code)).toEqual(['TEMPERATURE_ABUSE']);
  });

  it('the same readings sent again (in another order) record nothing', () => {
    const upload = logTemperatures(1, 60, threeHoursWarm);
    const h = sellable().run(upload, at(9));
    const again = { ...upload, data: { ...upload.data, uploadId: 'UP-2', readings: [...upload.data.readings].reverse(), log: asLog(upload) } };
    given(lotDecider, h.events).when(again, at(10)).then([]);
  });

  it('out of order: the later half first, then the earlier half; together they are the abuse neither is alone', () => {
    // 110 min warm (readings 10 to 31): 50 min in the earlier half, 55 in the later, neither an abuse alone.
    const whole = logTemperatures(1, 60, (i) => (i >= 10 && i < 32 ? -5 : -20));
    const later = { ...whole, data: { ...whole.data, uploadId: 'UP-L', readings: whole.data.readings.slice(21) } };
    const h = sellable().run(later, at(9));
    expect(h.state.violations).toEqual([]);
    expect(h.state.flags.map((f) => f.flag)).toEqual(['TEMPERATURE_EXCURSION']);
    const earlier = { ...whole, data: { ...whole.data, uploadId: 'UP-E', readings: whole.data.readings.slice(0, 21), log: asLog(later) } };
    const after = h.run(earlier, at(10));
    // The later half's 55 min were an excursion already (recorded then); the abuse is new, and the excursion the same one.
    const kinds = after.events.slice(h.events.length).filter((e) => e.type === 'TemperatureFindingRecorded').map((e) => e.type === 'TemperatureFindingRecorded' && e.data.kind);
    expect(kinds).toEqual(['ABUSE']);
    expect(after.state.violations.filter((v) => v.kind === 'TEMPERATURE_ABUSE')).toHaveLength(1);
  });

  it('a split after an abuse: the child carries the finding and the hold; its own upload later does not find the abuse again', () => {
    const parent = sellable().run(logTemperatures(1, 60, threeHoursWarm), at(9));
    const { children } = splitInto(parent, splitLot([{ traceCode: `${TRACE_CODE}-A`, quantity: 10 }], iso(9.5)), at(9.5));
    const child = children[0];
    expect(child.state.violations.map((v) => [v.kind, v.status])).toEqual([['TEMPERATURE_ABUSE', 'OPEN']]);
    expect(saleEligibility(child.state, at(10)).reasons.map((r) => r.code)).toContain('TEMPERATURE_ABUSE');
    const inherited = asLog(logTemperatures(1, 60, threeHoursWarm));
    const own = logTemperatures(9.6, 6, () => -21, { uploadId: 'UP-C', log: inherited });
    const events = lotDecider.decide(own, deepFreeze(child.state), at(10.2));
    // Only the gap between the inherited readings and its own: the abuse is the one it carries.
    expect(events.map((e) => (e.type === 'TemperatureFindingRecorded' ? e.data.kind : e.type))).toEqual(['TemperaturesRecorded', 'GAP']);
  });

  it('a late upload to the parent, showing an abuse before the split, holds the child too; one after the split does not', () => {
    const parent = sellable().run(logTemperatures(1, 6, () => -20, { uploadId: 'UP-0' }), at(9));
    const childCode = `${TRACE_CODE}-B`;
    const { parent: split, children } = splitInto(parent, splitLot([{ traceCode: childCode, quantity: 10 }], iso(9.5)), at(9.5));
    const lots = new Map<string, LotState>([
      [TRACE_CODE, split.state],
      [childCode, children[0].state],
    ]);
    const decide = (fromHour: number) => {
      const upload = logTemperatures(fromHour, 48, (i) => (i < 36 ? -5 : -20), { uploadId: `UP-${fromHour}`, log: asLog(logTemperatures(1, 6, () => -20)) });
      return decideLots(
        { type: 'RecordTemperatures', traceCode: TRACE_CODE, by: storeOperator, descendants: [childCode], data: { uploadId: upload.data.uploadId, deviceId: 'truck-1', readings: upload.data.readings, rules: DEFAULT_TEMPERATURE_RULES, log: upload.data.log } },
        lots,
        at(14),
      );
    };
    const before = decide(3);
    const childEvents = before.lots.find((l) => l.traceCode === childCode)!.events as LotEvent[];
    expect(childEvents.map((e) => e.type === 'TemperatureFindingRecorded' && e.data.kind)).toEqual(['EXCURSION', 'ABUSE']);
    expect(childEvents.reduce(evolveLot, children[0].state).violations.map((v) => [v.kind, v.status])).toEqual([['TEMPERATURE_ABUSE', 'OPEN']]);
    expect(before.outcome).toMatchObject({ held: true, lotsReached: 1, recorded: 48 });
    const after = decide(10);
    expect(after.lots.find((l) => l.traceCode === childCode)!.events).toEqual([]);
    expect(after.outcome).toMatchObject({ held: true, lotsReached: 0 });
  });
});
