import { FacilityRef } from '../facility/facility.types';
import { given } from '../testing/given-when-then';
import {
  at,
  atMarket,
  atWarehouse,
  fullPapers,
  iso,
  lotHistory,
  LotHistory,
  MARKET,
  papered,
  PORT,
  registered,
  registerLot,
  scan,
  scanFacts,
  sellable,
  STORE,
  truck,
  WAREHOUSE,
  withPapers,
} from '../testing/lot-fixtures';
import { lotDecider } from './lot.decider';
import { ComplianceFlagRaised, LotEvent, ScanFacts } from './lot.events';
import { ComplianceFlagKind, ProductCategory, Vehicle } from './lot.types';
import { DEFAULT_TEMPERATURE_RULES } from './temperature.rules';
import { saleEligibility } from './sale-eligibility.policy';

const when = (h: LotHistory) => given(lotDecider, h.events);

const flagged = (flag: ComplianceFlagKind, on: ScanFacts, message: string): ComplianceFlagRaised => ({
  type: 'ComplianceFlagRaised',
  schemaVersion: 2,
  data: { flag, scanId: on.scanId, facilityId: on.facilityId, message, occurredAt: on.occurredAt },
});

/** Dispatched from the port (hour 2) to the central warehouse in a disinfected truck, not received yet. */
const toWarehouse = (): LotHistory => papered().run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, vehicle: truck() }), at(2));

const received = (facts: ScanFacts, from: FacilityRef | null): LotEvent => ({
  type: 'LotReceived',
  schemaVersion: 1,
  data: { ...facts, fromFacilityId: from?.id ?? null, vehicle: truck() },
});

/** A lot of `category` at the central warehouse (received in its intake zone at hour 3). */
const atWarehouseAs = (category: ProductCategory): LotHistory =>
  atWarehouse(withPapers(lotHistory().run(registerLot({ product: { name: `${category} goods`, category } }), at(0)), fullPapers(), 1));

describe('compliance flags (三专 and the cold chain): recorded next to the scan, never refused', () => {
  describe('RECEIPT_OUTSIDE_DEDICATED_INTAKE', () => {
    it('a receipt at a central warehouse through a general zone', () => {
      const facts = scanFacts('f1', WAREHOUSE, 'cw-general', 'GENERAL', iso(3));
      when(toWarehouse())
        .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'f1', zoneId: 'cw-general', vehicle: truck() }), at(3))
        .then([
          received(facts, PORT),
          flagged('RECEIPT_OUTSIDE_DEDICATED_INTAKE', facts, 'received at cw-1 through a GENERAL zone (cw-general), not a dedicated intake'),
        ]);
    });

    it('a receipt through a dedicated zone that is not the intake', () => {
      const facts = scanFacts('f2', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(3));
      when(toWarehouse())
        .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'f2', zoneId: 'cw-storage', vehicle: truck() }), at(3))
        .then([
          received(facts, PORT),
          flagged('RECEIPT_OUTSIDE_DEDICATED_INTAKE', facts, 'received at cw-1 through a DEDICATED_STORAGE zone (cw-storage), not a dedicated intake'),
        ]);
    });

    it('a receipt with no zone recorded', () => {
      const facts = scanFacts('f3', WAREHOUSE, null, null, iso(3));
      when(toWarehouse())
        .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'f3', vehicle: truck() }), at(3))
        .then([received(facts, PORT), flagged('RECEIPT_OUTSIDE_DEDICATED_INTAKE', facts, 'received at cw-1 through no recorded zone, not a dedicated intake')]);
    });

    it('nothing for a receipt through the dedicated intake', () => {
      when(toWarehouse())
        .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'f4', zoneId: 'cw-intake', vehicle: truck() }), at(3))
        .then([received(scanFacts('f4', WAREHOUSE, 'cw-intake', 'DEDICATED_INTAKE', iso(3)), PORT)]);
    });

    it('nothing at a port of entry, with or without a zone', () => {
      when(registered())
        .when(scan('RECEIVE', PORT, iso(1), { scanId: 'f5', vehicle: truck() }), at(1))
        .then([received(scanFacts('f5', PORT, null, null, iso(1)), null)]);
      when(registered())
        .when(scan('RECEIVE', PORT, iso(1), { scanId: 'f6', zoneId: 'port-storage', vehicle: truck() }), at(1))
        .then([received(scanFacts('f6', PORT, 'port-storage', 'DEDICATED_STORAGE', iso(1)), null)]);
    });

    it('comes after the trace violations of the same scan', () => {
      const facts = scanFacts('f7', WAREHOUSE, null, null, iso(3));
      when(papered())
        .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'f7', vehicle: truck() }), at(3))
        .then([
          received(facts, null),
          {
            type: 'TraceViolationRecorded',
            schemaVersion: 1,
            data: {
              kind: 'RECEIPT_WITHOUT_DISPATCH',
              scanId: 'f7',
              facilityId: WAREHOUSE.id,
              message: 'received at cw-1, but no dispatch from port-1 was scanned',
              occurredAt: iso(3),
            },
          },
          flagged('RECEIPT_OUTSIDE_DEDICATED_INTAKE', facts, 'received at cw-1 through no recorded zone, not a dedicated intake'),
        ]);
    });
  });

  describe('STORAGE_OUTSIDE_DEDICATED_ZONE', () => {
    it.each([
      ['a general zone', 'cw-general', 'GENERAL' as const],
      ['the intake zone', 'cw-intake', 'DEDICATED_INTAKE' as const],
    ])('storage in %s', (_where, zoneId, zoneKind) => {
      const facts = scanFacts('f8', WAREHOUSE, zoneId, zoneKind, iso(4));
      when(atWarehouse())
        .when(scan('STORE', WAREHOUSE, iso(4), { scanId: 'f8', zoneId }), at(4))
        .then([
          { type: 'LotStored', schemaVersion: 1, data: facts },
          flagged('STORAGE_OUTSIDE_DEDICATED_ZONE', facts, `stored at cw-1 in a ${zoneKind} zone (${zoneId}), not a dedicated storage or sales zone`),
        ]);
    });

    it.each([
      [WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE' as const, () => atWarehouse()],
      [MARKET, 'wm-sales', 'DEDICATED_SALES' as const, () => atMarket()],
    ])('nothing for storage at %j in %s', (facility, zoneId, zoneKind, lot) => {
      when(lot())
        .when(scan('STORE', facility, iso(6), { scanId: 'f9', zoneId }), at(6))
        .then([{ type: 'LotStored', schemaVersion: 1, data: scanFacts('f9', facility, zoneId, zoneKind, iso(6)) }]);
    });
  });

  describe('VEHICLE_NOT_DISINFECTED', () => {
    const dispatched = (facts: ScanFacts, vehicle: Vehicle | null): LotEvent => ({
      type: 'LotDispatched',
      schemaVersion: 1,
      data: { ...facts, toFacilityId: MARKET.id, toFacilityType: 'WHOLESALE_MARKET', vehicle, quantity: 100 },
    });

    it('a dispatch in a vehicle with no disinfection record; the dispatch still happens', () => {
      const facts = scanFacts('f10', WAREHOUSE, null, null, iso(4));
      when(atWarehouse())
        .when(scan('DISPATCH', WAREHOUSE, iso(4), { scanId: 'f10', to: MARKET, vehicle: truck('SH-B9', null) }), at(4))
        .then([dispatched(facts, truck('SH-B9', null)), flagged('VEHICLE_NOT_DISINFECTED', facts, 'vehicle SH-B9 has no disinfection record')]);
    });

    it('a dispatch with no vehicle recorded', () => {
      const facts = scanFacts('f11', WAREHOUSE, null, null, iso(4));
      when(atWarehouse())
        .when(scan('DISPATCH', WAREHOUSE, iso(4), { scanId: 'f11', to: MARKET }), at(4))
        .then([dispatched(facts, null), flagged('VEHICLE_NOT_DISINFECTED', facts, 'dispatched with no vehicle recorded, so no vehicle disinfection record')]);
    });

    it('also out of the port', () => {
      const facts = scanFacts('f12', PORT, null, null, iso(2));
      when(papered())
        .when(scan('DISPATCH', PORT, iso(2), { scanId: 'f12', to: WAREHOUSE }), at(2))
        .then([
          { type: 'LotDispatched', schemaVersion: 1, data: { ...facts, toFacilityId: WAREHOUSE.id, toFacilityType: 'CENTRAL_WAREHOUSE', vehicle: null, quantity: 100 } },
          flagged('VEHICLE_NOT_DISINFECTED', facts, 'dispatched with no vehicle recorded, so no vehicle disinfection record'),
        ]);
    });

    it('a vehicle disinfected only after the dispatch', () => {
      const facts = scanFacts('f15', WAREHOUSE, null, null, iso(4));
      when(atWarehouse())
        .when(scan('DISPATCH', WAREHOUSE, iso(4), { scanId: 'f15', to: MARKET, vehicle: truck('SH-B9', iso(5)) }), at(6))
        .then([
          dispatched(facts, truck('SH-B9', iso(5))),
          flagged('VEHICLE_NOT_DISINFECTED', facts, `vehicle SH-B9 was disinfected at ${iso(5)}, after this dispatch`),
        ]);
    });

    it('nothing for a disinfected vehicle', () => {
      when(atWarehouse())
        .when(scan('DISPATCH', WAREHOUSE, iso(4), { scanId: 'f13', to: MARKET, vehicle: truck() }), at(4))
        .then([
          {
            type: 'LotDispatched',
            schemaVersion: 1,
            data: { ...scanFacts('f13', WAREHOUSE, null, null, iso(4)), toFacilityId: MARKET.id, toFacilityType: 'WHOLESALE_MARKET', vehicle: truck(), quantity: 100 },
          },
        ]);
    });

    it('only a DISPATCH asks for the vehicle: a receipt in an undisinfected vehicle raises nothing', () => {
      when(toWarehouse())
        .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'f14', zoneId: 'cw-intake', vehicle: truck('SH-B9', null) }), at(3))
        .then([
          {
            type: 'LotReceived',
            schemaVersion: 1,
            data: { ...scanFacts('f14', WAREHOUSE, 'cw-intake', 'DEDICATED_INTAKE', iso(3)), fromFacilityId: PORT.id, vehicle: truck('SH-B9', null) },
          },
        ]);
    });
  });

  describe('TEMPERATURE_EXCURSION', () => {
    const sampled = (facts: ScanFacts): LotEvent => ({ type: 'LotSampled', schemaVersion: 1, data: facts });

    it('a FROZEN lot scanned above its range (at most -18 °C)', () => {
      const facts = scanFacts('t1', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(4), -10);
      when(atWarehouse())
        .when(scan('SAMPLE', WAREHOUSE, iso(4), { scanId: 't1', zoneId: 'cw-storage', temperatureC: -10 }), at(4))
        .then([sampled(facts), flagged('TEMPERATURE_EXCURSION', facts, '-10 °C at cw-1, outside the ≤ -18 °C range for FROZEN goods')]);
    });

    it('exactly at the range\'s edge raises nothing; a tenth of a degree beyond does', () => {
      when(atWarehouse())
        .when(scan('SAMPLE', WAREHOUSE, iso(4), { scanId: 't2', zoneId: 'cw-storage', temperatureC: -18 }), at(4))
        .then([sampled(scanFacts('t2', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(4), -18))]);
      const above = scanFacts('t3', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(4), -17.9);
      when(atWarehouse())
        .when(scan('SAMPLE', WAREHOUSE, iso(4), { scanId: 't3', zoneId: 'cw-storage', temperatureC: -17.9 }), at(4))
        .then([sampled(above), flagged('TEMPERATURE_EXCURSION', above, '-17.9 °C at cw-1, outside the ≤ -18 °C range for FROZEN goods')]);
    });

    it('the rules passed in the command are honoured: -18 °C is fine by default, an excursion with a range of at most -20 °C', () => {
      const custom = {
        ...DEFAULT_TEMPERATURE_RULES,
        categories: { ...DEFAULT_TEMPERATURE_RULES.categories, FROZEN: { ...DEFAULT_TEMPERATURE_RULES.categories.FROZEN, range: { minCelsius: null, maxCelsius: -20 } } },
      };
      const facts = scanFacts('t5', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(4), -18);
      when(atWarehouse())
        .when(scan('SAMPLE', WAREHOUSE, iso(4), { scanId: 't5', zoneId: 'cw-storage', temperatureC: -18, temperatureRules: custom }), at(4))
        .then([sampled(facts), flagged('TEMPERATURE_EXCURSION', facts, '-18 °C at cw-1, outside the ≤ -20 °C range for FROZEN goods')]);
    });

    it.each<[ProductCategory, number, number, string]>([
      ['CHILLED', 4, 4.5, '0–4 °C'],
      ['CHILLED', 0, -0.5, '0–4 °C'],
      ['FRUIT', 10, 12, '0–10 °C'],
    ])('the range is the one of the lot category: %s at %d °C is fine, at %d °C an excursion', (category, fine, excursion, range) => {
      when(atWarehouseAs(category))
        .when(scan('SAMPLE', WAREHOUSE, iso(4), { scanId: 't6', zoneId: 'cw-storage', temperatureC: fine }), at(4))
        .then([sampled(scanFacts('t6', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(4), fine))]);
      const facts = scanFacts('t7', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(4), excursion);
      when(atWarehouseAs(category))
        .when(scan('SAMPLE', WAREHOUSE, iso(4), { scanId: 't7', zoneId: 'cw-storage', temperatureC: excursion }), at(4))
        .then([sampled(facts), flagged('TEMPERATURE_EXCURSION', facts, `${excursion} °C at cw-1, outside the ${range} range for ${category} goods`)]);
    });

    it('nothing when no temperature was taken', () => {
      when(atWarehouse())
        .when(scan('SAMPLE', WAREHOUSE, iso(4), { scanId: 't8', zoneId: 'cw-storage', temperatureC: null }), at(4))
        .then([sampled(scanFacts('t8', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(4)))]);
    });

    it('on a sale too, after the LotSold', () => {
      const facts = scanFacts('t9', STORE, 'rs-sales', 'DEDICATED_SALES', iso(9), -5);
      when(sellable())
        .when(scan('SELL', STORE, iso(9), { scanId: 't9', zoneId: 'rs-sales', quantity: 1, temperatureC: -5 }), at(9))
        .then([
          { type: 'LotSold', schemaVersion: 1, data: { ...facts, quantity: 1 } },
          flagged('TEMPERATURE_EXCURSION', facts, '-5 °C at rs-1, outside the ≤ -18 °C range for FROZEN goods'),
        ]);
    });
  });

  it('one scan can raise several flags, in a fixed order', () => {
    const facts = scanFacts('m1', WAREHOUSE, 'cw-general', 'GENERAL', iso(3), -2);
    when(toWarehouse())
      .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'm1', zoneId: 'cw-general', vehicle: truck(), temperatureC: -2 }), at(3))
      .then([
        received(facts, PORT),
        flagged('RECEIPT_OUTSIDE_DEDICATED_INTAKE', facts, 'received at cw-1 through a GENERAL zone (cw-general), not a dedicated intake'),
        flagged('TEMPERATURE_EXCURSION', facts, '-2 °C at cw-1, outside the ≤ -18 °C range for FROZEN goods'),
      ]);
  });

  it('flags are folded into the state and do not block a sale on their own', () => {
    const h = sellable()
      .run(scan('STORE', STORE, iso(8.5), { zoneId: 'rs-general', temperatureC: -3 }), at(8.5))
      .run(scan('STORE', STORE, iso(9), { zoneId: 'rs-sales' }), at(9));
    expect(h.state.flags).toEqual([
      {
        flag: 'STORAGE_OUTSIDE_DEDICATED_ZONE',
        facilityId: STORE.id,
        message: 'stored at rs-1 in a GENERAL zone (rs-general), not a dedicated storage or sales zone',
        occurredAt: iso(8.5),
      },
      { flag: 'TEMPERATURE_EXCURSION', facilityId: STORE.id, message: '-3 °C at rs-1, outside the ≤ -18 °C range for FROZEN goods', occurredAt: iso(8.5) },
    ]);
    expect(saleEligibility(h.state, at(10))).toEqual({ allowed: true, reasons: [] });
  });
});
