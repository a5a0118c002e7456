import { FacilityRef, ZoneKind } from '../facility/facility.types';
import { given } from '../testing/given-when-then';
import {
  at,
  atMarket,
  atStoreIntake,
  atWarehouse,
  attach,
  customsDeclaration,
  DAY,
  destroy,
  disinfectionCertificate,
  fullPapers,
  inspectionCertificate,
  iso,
  lock,
  lockThrough,
  LotHistory,
  lotHistory,
  MARKET,
  nucleicAcidTest,
  OTHER_STORE,
  papered,
  PORT,
  reasonCodesOf,
  recall,
  registered,
  registerLot,
  scan,
  sellable,
  splitLot,
  STORE,
  TRACE_CODE,
  truck,
  unlock,
  unlockThrough,
  WAREHOUSE,
  withPapers,
} from '../testing/lot-fixtures';
import { SingleLotCommand } from './lot.commands';
import { lotDecider } from './lot.decider';
import { LotEvent, ScanFacts, TraceViolationRecorded } from './lot.events';
import { lotStatus } from './eligibility-facts';
import { LotDocument, TraceViolationKind } from './lot.types';
import { lockReasons, saleEligibility } from './sale-eligibility.policy';

const when = (h: LotHistory) => given(lotDecider, h.events);

const facts = (
  scanId: string,
  facility: FacilityRef,
  zoneId: string | null,
  zoneKind: ZoneKind | null,
  occurredAt: string,
  temperatureC: number | null = null,
): ScanFacts => ({ scanId, facilityId: facility.id, facilityType: facility.type, zoneId, zoneKind, occurredAt, temperatureC });

const violation = (kind: TraceViolationKind, on: ScanFacts, message: string): TraceViolationRecorded => ({
  type: 'TraceViolationRecorded',
  schemaVersion: 1,
  data: { kind, scanId: on.scanId, facilityId: on.facilityId, message, occurredAt: on.occurredAt },
});

const attached = (document: LotDocument, attachedAt: string): LotEvent => ({
  type: 'DocumentAttached',
  schemaVersion: 2,
  data: { document, attachedAt, source: null },
});

describe('lotDecider', () => {
  describe('RegisterLot', () => {
    it('registers a lot at its port of entry, normalising country and time', () => {
      given(lotDecider)
        .when(registerLot({ originCountry: 'br', enteredAt: '2022-04-01T08:00:00+08:00' }), at(0))
        .then([
          {
            type: 'LotRegistered',
            schemaVersion: 1,
            data: {
              traceCode: TRACE_CODE,
              product: { name: 'Frozen beef brisket', category: 'FROZEN' },
              originCountry: 'BR',
              importer: 'Harbour Foods Ltd',
              quantity: { amount: 100, unit: 'KG' },
              portOfEntryId: PORT.id,
              enteredAt: iso(0),
            },
          },
        ]);
    });

    it('records a GTIN as GTIN-14, whatever length the label printed, and keeps it on the lot', () => {
      for (const gtin of ['09506000134352', '9506000134352']) {
        const [event] = lotDecider.decide(registerLot({ product: { name: 'Frozen beef brisket', category: 'FROZEN', gtin } }), lotDecider.initialState(), at(0));
        expect(event.type === 'LotRegistered' && event.data.product).toEqual({ name: 'Frozen beef brisket', category: 'FROZEN', gtin: '09506000134352' });
      }
      expect(registered().state.product).toEqual({ name: 'Frozen beef brisket', category: 'FROZEN' });
    });

    it.each(['09506000134353', '950600013435', '1234567', 'ABCDEFGH'])('refuses the GTIN %s (check digit or length): VALIDATION_FAILED', (gtin) => {
      const error = given(lotDecider)
        .when(registerLot({ product: { name: 'Frozen beef brisket', category: 'FROZEN', gtin } }), at(0))
        .thenThrows('VALIDATION_FAILED', { field: 'product.gtin' });
      expect(error.kind).toBe('invalid');
    });

    it('refuses a GTIN on a lot whose code cannot be its GS1 batch/lot (over 20 characters)', () => {
      given(lotDecider)
        .when(registerLot({ traceCode: 'A'.repeat(21), product: { name: 'Frozen beef brisket', category: 'FROZEN', gtin: '09506000134352' } }), at(0))
        .thenThrows('VALIDATION_FAILED', { field: 'traceCode' });
    });

    it('puts the newly registered lot in custody of the port', () => {
      const state = registered().state;
      expect(state.registered).toBe(true);
      expect(state.custody).toEqual({ facilityId: PORT.id, facilityType: 'PORT_OF_ENTRY', zoneId: null, zoneKind: null, since: iso(0) });
      expect(state.quantity).toEqual({ initial: 100, remaining: 100, unit: 'KG' });
      expect(state.route).toEqual([{ facilityId: PORT.id, facilityType: 'PORT_OF_ENTRY', arrivedAt: iso(0), departedAt: null }]);
    });

    it('refuses a second registration: LOT_EXISTS', () => {
      const error = when(registered()).when(registerLot(), at(1)).thenThrows('LOT_EXISTS', { traceCode: TRACE_CODE });
      expect(error.kind).toBe('conflict');
    });

    it('refuses a port of entry that is not a PORT_OF_ENTRY: FACILITY_TYPE_MISMATCH', () => {
      const error = given(lotDecider)
        .when(registerLot({ portOfEntry: WAREHOUSE }), at(0))
        .thenThrows('FACILITY_TYPE_MISMATCH', { field: 'portOfEntryId' });
      expect(error.kind).toBe('rule');
    });

    it.each([
      { amount: 12.5, unit: 'CARTON' as const },
      { amount: 1.5, unit: 'PIECE' as const },
      { amount: 1.0005, unit: 'KG' as const },
      { amount: 0, unit: 'KG' as const },
      { amount: -3, unit: 'CARTON' as const },
      { amount: Number.NaN, unit: 'KG' as const },
    ])('refuses $amount $unit: INVALID_QUANTITY', (quantity) => {
      given(lotDecider).when(registerLot({ quantity }), at(0)).thenThrows('INVALID_QUANTITY', { field: 'quantity.amount' });
    });

    it.each([
      { amount: 12, unit: 'CARTON' as const },
      { amount: 1.005, unit: 'KG' as const },
    ])('accepts $amount $unit', (quantity) => {
      const [event] = given(lotDecider).when(registerLot({ quantity }), at(0)).then([
        {
          type: 'LotRegistered',
          schemaVersion: 1,
          data: {
            traceCode: TRACE_CODE,
            product: { name: 'Frozen beef brisket', category: 'FROZEN' },
            originCountry: 'BR',
            importer: 'Harbour Foods Ltd',
            quantity,
            portOfEntryId: PORT.id,
            enteredAt: iso(0),
          },
        },
      ]);
      expect(event.type).toBe('LotRegistered');
    });

    it('refuses an unreadable entry time: VALIDATION_FAILED', () => {
      given(lotDecider).when(registerLot({ enteredAt: 'yesterday' }), at(0)).thenThrows('VALIDATION_FAILED', { field: 'enteredAt' });
    });
  });

  describe('AttachDocument', () => {
    it('attaches a document, normalising its dates and stamping attachedAt with now', () => {
      when(registered())
        .when(
          attach(inspectionCertificate({ issuedAt: '2022-03-31T08:00:00+08:00', validUntil: '2022-05-01T08:00:00+08:00' })),
          at(1),
        )
        .then([attached(inspectionCertificate({ issuedAt: iso(-DAY), validUntil: iso(30 * DAY) }), iso(1))]);
    });

    it('attaches a negative nucleic-acid test without locking', () => {
      when(registered()).when(attach(nucleicAcidTest('NEGATIVE')), at(1)).then([attached(nucleicAcidTest('NEGATIVE'), iso(1))]);
    });

    it('locks the lot at once on a POSITIVE nucleic-acid test: DocumentAttached + LotLocked', () => {
      when(registered())
        .when(attach(nucleicAcidTest('POSITIVE')), at(1))
        .then([
          attached(nucleicAcidTest('POSITIVE'), iso(1)),
          {
            type: 'LotLocked',
            schemaVersion: 2,
            data: {
              reason: 'nucleic-acid test NAT-001 is POSITIVE',
              source: 'POSITIVE_TEST',
              documentNumber: 'NAT-001',
              lockedAt: iso(1),
              ancestor: null,
            },
          },
        ]);
    });

    it('a POSITIVE test on a lot that is already locked only attaches the document (the existing lock stays)', () => {
      const locked = registered().run(lock('regulator hold'), at(1));
      when(locked).when(attach(nucleicAcidTest('POSITIVE')), at(2)).then([attached(nucleicAcidTest('POSITIVE'), iso(2))]);
    });

    it('an identical re-attach (a retried upload) decides nothing, even with differently written dates', () => {
      const h = registered().run(attach(inspectionCertificate()), at(1));
      when(h).when(attach(inspectionCertificate()), at(2)).then([]);
      when(h)
        .when(attach(inspectionCertificate({ issuedAt: '2022-03-31T08:00:00+08:00', validUntil: '2022-05-01T08:00:00+08:00' })), at(2))
        .then([]);
    });

    it('an identical re-attach of a POSITIVE test after an unlock does not lock again', () => {
      const h = registered()
        .run(attach(nucleicAcidTest('POSITIVE')), at(1))
        .run(unlock('released by regulator'), at(2));
      when(h).when(attach(nucleicAcidTest('POSITIVE')), at(3)).then([]);
    });

    it.each<[string, Partial<LotDocument>]>([
      ['issuer', { issuer: 'another lab' }],
      ['issuedAt', { issuedAt: iso(-2 * DAY) }],
      ['validUntil', { validUntil: iso(20 * DAY) }],
    ])('same type and number but a different %s: DOCUMENT_CONFLICT', (_field, change) => {
      const h = registered().run(attach(nucleicAcidTest('NEGATIVE')), at(1));
      const error = when(h).when(attach(nucleicAcidTest('NEGATIVE', change)), at(2)).thenThrows('DOCUMENT_CONFLICT');
      expect(error.kind).toBe('conflict');
    });

    it('same number but a different result: DOCUMENT_CONFLICT', () => {
      const h = registered().run(attach(nucleicAcidTest('NEGATIVE')), at(1));
      when(h).when(attach(nucleicAcidTest('POSITIVE')), at(2)).thenThrows('DOCUMENT_CONFLICT');
    });

    it('the same number on a document of another type is a different document', () => {
      const h = registered().run(attach(customsDeclaration({ number: 'X-1' })), at(1));
      when(h)
        .when(attach(disinfectionCertificate({ number: 'X-1' })), at(2))
        .then([attached(disinfectionCertificate({ number: 'X-1' }), iso(2))]);
    });

    it('refuses a nucleic-acid test without a result: VALIDATION_FAILED', () => {
      when(registered())
        .when(attach({ ...nucleicAcidTest(), result: null }), at(1))
        .thenThrows('VALIDATION_FAILED', { field: 'result' });
    });

    it.each([customsDeclaration, inspectionCertificate, disinfectionCertificate])(
      'refuses a result on a document that is not a nucleic-acid test (%#): VALIDATION_FAILED',
      (document) => {
        when(registered())
          .when(attach({ ...document(), result: 'NEGATIVE' }), at(1))
          .thenThrows('VALIDATION_FAILED', { field: 'result' });
      },
    );

    it.each([
      ['before', iso(-2 * DAY)],
      ['equal to', iso(-DAY)],
    ])('refuses validUntil %s issuedAt: VALIDATION_FAILED', (_relation, validUntil) => {
      when(registered())
        .when(attach(inspectionCertificate({ issuedAt: iso(-DAY), validUntil })), at(1))
        .thenThrows('VALIDATION_FAILED', { field: 'validUntil' });
    });

    it('refuses unreadable dates: VALIDATION_FAILED', () => {
      when(registered()).when(attach(inspectionCertificate({ issuedAt: 'soon' })), at(1)).thenThrows('VALIDATION_FAILED', { field: 'issuedAt' });
      when(registered()).when(attach(inspectionCertificate({ validUntil: 'never' })), at(1)).thenThrows('VALIDATION_FAILED', { field: 'validUntil' });
    });
  });

  describe('RecordScan', () => {
    describe('each action', () => {
      it('RECEIVE where the lot already is: LotReceived, no previous holder, vehicle normalised', () => {
        when(registered())
          .when(
            scan('RECEIVE', PORT, '2022-04-01T10:00:00+08:00', {
              scanId: 's1',
              zoneId: 'port-intake',
              temperatureC: -18,
              vehicle: { plate: 'SH-1', disinfectedAt: '2022-04-01T09:00:00+08:00' },
            }),
            at(2),
          )
          .then([
            {
              type: 'LotReceived',
              schemaVersion: 1,
              data: {
                ...facts('s1', PORT, 'port-intake', 'DEDICATED_INTAKE', iso(2), -18),
                fromFacilityId: null,
                vehicle: { plate: 'SH-1', disinfectedAt: iso(1) },
              },
            },
          ]);
      });

      it('RECEIVE at the destination of a dispatch: LotReceived from the dispatching facility', () => {
        const inTransit = papered().run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE }), at(2));
        when(inTransit)
          .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 's2', zoneId: 'cw-intake', vehicle: truck('SH-2', null) }), at(3))
          .then([
            {
              type: 'LotReceived',
              schemaVersion: 1,
              data: {
                ...facts('s2', WAREHOUSE, 'cw-intake', 'DEDICATED_INTAKE', iso(3)),
                fromFacilityId: PORT.id,
                vehicle: { plate: 'SH-2', disinfectedAt: null },
              },
            },
          ]);
      });

      it('STORE in a zone: LotStored', () => {
        when(registered())
          .when(scan('STORE', PORT, iso(2), { scanId: 's3', zoneId: 'port-storage', temperatureC: -20 }), at(2))
          .then([{ type: 'LotStored', schemaVersion: 1, data: facts('s3', PORT, 'port-storage', 'DEDICATED_STORAGE', iso(2), -20) }]);
      });

      it('STORE without a zone: VALIDATION_FAILED', () => {
        when(registered()).when(scan('STORE', PORT, iso(2)), at(2)).thenThrows('VALIDATION_FAILED', { field: 'zoneId' });
      });

      it('DISINFECT (lot and vehicle): LotDisinfected', () => {
        when(registered())
          .when(scan('DISINFECT', PORT, iso(2), { scanId: 's4', vehicle: truck('SH-3', iso(2)) }), at(2))
          .then([
            {
              type: 'LotDisinfected',
              schemaVersion: 1,
              data: { ...facts('s4', PORT, null, null, iso(2)), vehicle: { plate: 'SH-3', disinfectedAt: iso(2) } },
            },
          ]);
      });

      it('SAMPLE: LotSampled', () => {
        when(registered())
          .when(scan('SAMPLE', PORT, iso(2), { scanId: 's5', zoneId: 'port-storage' }), at(2))
          .then([{ type: 'LotSampled', schemaVersion: 1, data: facts('s5', PORT, 'port-storage', 'DEDICATED_STORAGE', iso(2)) }]);
      });

      it('DISPATCH from the port without any papers is allowed and moves the whole lot', () => {
        when(registered())
          .when(scan('DISPATCH', PORT, iso(2), { scanId: 's6', to: WAREHOUSE, vehicle: truck('SH-4', iso(1)) }), at(2))
          .then([
            {
              type: 'LotDispatched',
              schemaVersion: 1,
              data: {
                ...facts('s6', PORT, null, null, iso(2)),
                toFacilityId: WAREHOUSE.id,
                toFacilityType: 'CENTRAL_WAREHOUSE',
                vehicle: { plate: 'SH-4', disinfectedAt: iso(1) },
                quantity: 100,
              },
            },
          ]);
      });

      it('DISPATCH naming the whole remaining quantity is allowed', () => {
        when(registered())
          .when(scan('DISPATCH', PORT, iso(2), { scanId: 's7', to: WAREHOUSE, quantity: 100, vehicle: truck() }), at(2))
          .then([
            {
              type: 'LotDispatched',
              schemaVersion: 1,
              data: { ...facts('s7', PORT, null, null, iso(2)), toFacilityId: WAREHOUSE.id, toFacilityType: 'CENTRAL_WAREHOUSE', vehicle: truck(), quantity: 100 },
            },
          ]);
      });

      it('DISPATCH without a destination: VALIDATION_FAILED', () => {
        when(registered()).when(scan('DISPATCH', PORT, iso(2)), at(2)).thenThrows('VALIDATION_FAILED', { field: 'toFacilityId' });
      });

      it('SELL from the dedicated sales zone of the retail store holding a sale-allowed lot: LotSold', () => {
        when(sellable())
          .when(scan('SELL', STORE, iso(9), { scanId: 's8', zoneId: 'rs-sales', quantity: 2.5, temperatureC: -18 }), at(9))
          .then([{ type: 'LotSold', schemaVersion: 1, data: { ...facts('s8', STORE, 'rs-sales', 'DEDICATED_SALES', iso(9), -18), quantity: 2.5 } }]);
      });

      it('SELL without a zone sells from the zone the lot is stored in', () => {
        when(sellable())
          .when(scan('SELL', STORE, iso(9), { scanId: 's9', quantity: 1 }), at(9))
          .then([{ type: 'LotSold', schemaVersion: 1, data: { ...facts('s9', STORE, null, null, iso(9)), quantity: 1 } }]);
      });

      it('SELL without a quantity: VALIDATION_FAILED', () => {
        when(sellable()).when(scan('SELL', STORE, iso(9), { zoneId: 'rs-sales' }), at(9)).thenThrows('VALIDATION_FAILED', { field: 'quantity' });
      });
    });

    describe('the full journey port -> central warehouse -> wholesale market -> retail store -> consumer', () => {
      it('records every step, with no violations, and sells the lot out', () => {
        let h = lotHistory();
        const step = (command: SingleLotCommand, hour: number, expected: readonly LotEvent[]): void => {
          given(lotDecider, h.events).when(command, at(hour)).then(expected);
          h = h.append(expected);
        };
        const dispatched = (scanId: string, from: FacilityRef, to: FacilityRef, hour: number): LotEvent => ({
          type: 'LotDispatched',
          schemaVersion: 1,
          data: { ...facts(scanId, from, null, null, iso(hour)), toFacilityId: to.id, toFacilityType: to.type, vehicle: truck(), quantity: 100 },
        });
        const received = (scanId: string, at: FacilityRef, zoneId: string, from: FacilityRef, hour: number): LotEvent => ({
          type: 'LotReceived',
          schemaVersion: 1,
          data: { ...facts(scanId, at, zoneId, 'DEDICATED_INTAKE', iso(hour)), fromFacilityId: from.id, vehicle: truck() },
        });

        step(registerLot(), 0, [
          {
            type: 'LotRegistered',
            schemaVersion: 1,
            data: {
              traceCode: TRACE_CODE,
              product: { name: 'Frozen beef brisket', category: 'FROZEN' },
              originCountry: 'BR',
              importer: 'Harbour Foods Ltd',
              quantity: { amount: 100, unit: 'KG' },
              portOfEntryId: PORT.id,
              enteredAt: iso(0),
            },
          },
        ]);
        for (const document of fullPapers()) step(attach(document), 1, [attached(document, iso(1))]);

        // port of entry
        step(scan('RECEIVE', PORT, iso(2), { scanId: 'j1', zoneId: 'port-intake', temperatureC: -18 }), 2, [
          { type: 'LotReceived', schemaVersion: 1, data: { ...facts('j1', PORT, 'port-intake', 'DEDICATED_INTAKE', iso(2), -18), fromFacilityId: null, vehicle: null } },
        ]);
        step(scan('STORE', PORT, iso(3), { scanId: 'j2', zoneId: 'port-storage' }), 3, [
          { type: 'LotStored', schemaVersion: 1, data: facts('j2', PORT, 'port-storage', 'DEDICATED_STORAGE', iso(3)) },
        ]);
        step(scan('DISINFECT', PORT, iso(4), { scanId: 'j3' }), 4, [
          { type: 'LotDisinfected', schemaVersion: 1, data: { ...facts('j3', PORT, null, null, iso(4)), vehicle: null } },
        ]);
        step(scan('SAMPLE', PORT, iso(5), { scanId: 'j4' }), 5, [{ type: 'LotSampled', schemaVersion: 1, data: facts('j4', PORT, null, null, iso(5)) }]);
        step(scan('DISPATCH', PORT, iso(6), { scanId: 'j5', to: WAREHOUSE, vehicle: truck() }), 6, [dispatched('j5', PORT, WAREHOUSE, 6)]);

        // central warehouse (总仓)
        step(scan('RECEIVE', WAREHOUSE, iso(8), { scanId: 'j6', zoneId: 'cw-intake', vehicle: truck() }), 8, [received('j6', WAREHOUSE, 'cw-intake', PORT, 8)]);
        step(scan('STORE', WAREHOUSE, iso(9), { scanId: 'j7', zoneId: 'cw-storage' }), 9, [
          { type: 'LotStored', schemaVersion: 1, data: facts('j7', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(9)) },
        ]);
        step(scan('DISPATCH', WAREHOUSE, iso(10), { scanId: 'j8', to: MARKET, vehicle: truck() }), 10, [dispatched('j8', WAREHOUSE, MARKET, 10)]);

        // wholesale market
        step(scan('RECEIVE', MARKET, iso(12), { scanId: 'j9', zoneId: 'wm-intake', vehicle: truck() }), 12, [received('j9', MARKET, 'wm-intake', WAREHOUSE, 12)]);
        step(scan('STORE', MARKET, iso(13), { scanId: 'j10', zoneId: 'wm-storage' }), 13, [
          { type: 'LotStored', schemaVersion: 1, data: facts('j10', MARKET, 'wm-storage', 'DEDICATED_STORAGE', iso(13)) },
        ]);
        step(scan('DISPATCH', MARKET, iso(14), { scanId: 'j11', to: STORE, vehicle: truck() }), 14, [dispatched('j11', MARKET, STORE, 14)]);

        // retail store
        step(scan('RECEIVE', STORE, iso(16), { scanId: 'j12', zoneId: 'rs-intake', vehicle: truck() }), 16, [received('j12', STORE, 'rs-intake', MARKET, 16)]);
        step(scan('STORE', STORE, iso(17), { scanId: 'j13', zoneId: 'rs-sales' }), 17, [
          { type: 'LotStored', schemaVersion: 1, data: facts('j13', STORE, 'rs-sales', 'DEDICATED_SALES', iso(17)) },
        ]);

        // consumer
        step(scan('SELL', STORE, iso(18), { scanId: 'j14', zoneId: 'rs-sales', quantity: 2.5 }), 18, [
          { type: 'LotSold', schemaVersion: 1, data: { ...facts('j14', STORE, 'rs-sales', 'DEDICATED_SALES', iso(18)), quantity: 2.5 } },
        ]);
        step(scan('SELL', STORE, iso(19), { scanId: 'j15', zoneId: 'rs-sales', quantity: 97.5 }), 19, [
          { type: 'LotSold', schemaVersion: 1, data: { ...facts('j15', STORE, 'rs-sales', 'DEDICATED_SALES', iso(19)), quantity: 97.5 } },
        ]);

        const state = h.state;
        expect(state.violations).toEqual([]);
        expect(state.flags).toEqual([]);
        expect(state.passedCentralWarehouse).toBe(true);
        expect(state.inTransit).toBeNull();
        expect(state.quantity).toEqual({ initial: 100, remaining: 0, unit: 'KG' });
        expect(state.custody).toEqual({ facilityId: STORE.id, facilityType: 'RETAIL_STORE', zoneId: 'rs-sales', zoneKind: 'DEDICATED_SALES', since: iso(16) });
        expect(state.route).toEqual([
          { facilityId: PORT.id, facilityType: 'PORT_OF_ENTRY', arrivedAt: iso(0), departedAt: iso(6) },
          { facilityId: WAREHOUSE.id, facilityType: 'CENTRAL_WAREHOUSE', arrivedAt: iso(8), departedAt: iso(10) },
          { facilityId: MARKET.id, facilityType: 'WHOLESALE_MARKET', arrivedAt: iso(12), departedAt: iso(14) },
          { facilityId: STORE.id, facilityType: 'RETAIL_STORE', arrivedAt: iso(16), departedAt: null },
        ]);

        const error = given(lotDecider, h.events)
          .when(scan('SELL', STORE, iso(20), { zoneId: 'rs-sales', quantity: 0.001 }), at(20))
          .thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['QUANTITY_EXHAUSTED']);
      });
    });

    it('the fixture journey (port -> warehouse -> market -> store sales zone) raises no flag and no violation', () => {
      const journeyEvents = sellable().events;
      expect(journeyEvents.filter((e) => e.type === 'ComplianceFlagRaised' || e.type === 'TraceViolationRecorded')).toEqual([]);
      expect(sellable().state.flags).toEqual([]);
      expect(sellable().state.violations).toEqual([]);
    });

    describe('trace violations are recorded, not refused', () => {
      it('a receipt with no dispatch: RECEIPT_WITHOUT_DISPATCH', () => {
        const received = facts('v1', WAREHOUSE, 'cw-intake', 'DEDICATED_INTAKE', iso(3));
        when(papered())
          .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'v1', zoneId: 'cw-intake' }), at(3))
          .then([
            { type: 'LotReceived', schemaVersion: 1, data: { ...received, fromFacilityId: null, vehicle: null } },
            violation('RECEIPT_WITHOUT_DISPATCH', received, 'received at cw-1, but no dispatch from port-1 was scanned'),
          ]);
      });

      it('a receipt somewhere other than where the lot was dispatched to: RECEIPT_WITHOUT_DISPATCH', () => {
        const inTransit = atMarket().run(scan('DISPATCH', MARKET, iso(6), { to: STORE }), at(6));
        const received = facts('v2', OTHER_STORE, 'rs2-intake', 'DEDICATED_INTAKE', iso(7));
        when(inTransit)
          .when(scan('RECEIVE', OTHER_STORE, iso(7), { scanId: 'v2', zoneId: 'rs2-intake' }), at(7))
          .then([
            { type: 'LotReceived', schemaVersion: 1, data: { ...received, fromFacilityId: MARKET.id, vehicle: null } },
            violation('RECEIPT_WITHOUT_DISPATCH', received, 'received at rs-2, but it was dispatched from wm-1 to rs-1'),
          ]);
      });

      it('reaching a wholesale market without a central warehouse: CENTRAL_WAREHOUSE_BYPASSED', () => {
        const toMarket = papered().run(scan('DISPATCH', PORT, iso(2), { to: MARKET }), at(2));
        const received = facts('v3', MARKET, 'wm-intake', 'DEDICATED_INTAKE', iso(3));
        when(toMarket)
          .when(scan('RECEIVE', MARKET, iso(3), { scanId: 'v3', zoneId: 'wm-intake' }), at(3))
          .then([
            { type: 'LotReceived', schemaVersion: 1, data: { ...received, fromFacilityId: PORT.id, vehicle: null } },
            violation('CENTRAL_WAREHOUSE_BYPASSED', received, 'reached WHOLESALE_MARKET wm-1 without passing a central warehouse'),
          ]);
      });

      it('reaching a retail store straight from the port: CENTRAL_WAREHOUSE_BYPASSED', () => {
        const toStore = papered().run(scan('DISPATCH', PORT, iso(2), { to: STORE }), at(2));
        const received = facts('v4', STORE, 'rs-intake', 'DEDICATED_INTAKE', iso(3));
        when(toStore)
          .when(scan('RECEIVE', STORE, iso(3), { scanId: 'v4', zoneId: 'rs-intake' }), at(3))
          .then([
            { type: 'LotReceived', schemaVersion: 1, data: { ...received, fromFacilityId: PORT.id, vehicle: null } },
            violation('CENTRAL_WAREHOUSE_BYPASSED', received, 'reached RETAIL_STORE rs-1 without passing a central warehouse'),
          ]);
      });

      it('a bypass is recorded once: later scans there and further downstream add nothing', () => {
        const bypassed = papered()
          .run(scan('DISPATCH', PORT, iso(2), { to: MARKET }), at(2))
          .run(scan('RECEIVE', MARKET, iso(3), { zoneId: 'wm-intake' }), at(3));
        when(bypassed)
          .when(scan('STORE', MARKET, iso(4), { scanId: 'v5', zoneId: 'wm-storage' }), at(4))
          .then([{ type: 'LotStored', schemaVersion: 1, data: facts('v5', MARKET, 'wm-storage', 'DEDICATED_STORAGE', iso(4)) }]);
        // a market cannot trade it on (TRADE_BLOCKED below); a retail store can pass it on, and that is not flagged again
        const bypassedThenMoved = papered()
          .run(scan('DISPATCH', PORT, iso(2), { to: STORE }), at(2))
          .run(scan('RECEIVE', STORE, iso(3)), at(3))
          .run(scan('DISPATCH', STORE, iso(4), { to: OTHER_STORE }), at(4));
        when(bypassedThenMoved)
          .when(scan('RECEIVE', OTHER_STORE, iso(5), { scanId: 'v6', zoneId: 'rs2-intake' }), at(5))
          .then([
            {
              type: 'LotReceived',
              schemaVersion: 1,
              data: { ...facts('v6', OTHER_STORE, 'rs2-intake', 'DEDICATED_INTAKE', iso(5)), fromFacilityId: STORE.id, vehicle: null },
            },
          ]);
      });

      it('a scan while the lot is in transit, with no receipt: CUSTODY_GAP', () => {
        const inTransit = papered().run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE }), at(2));
        const stored = facts('v7', WAREHOUSE, 'cw-storage', 'DEDICATED_STORAGE', iso(3));
        when(inTransit)
          .when(scan('STORE', WAREHOUSE, iso(3), { scanId: 'v7', zoneId: 'cw-storage' }), at(3))
          .then([
            { type: 'LotStored', schemaVersion: 1, data: stored },
            violation('CUSTODY_GAP', stored, 'STORE scanned at cw-1 while the lot was in transit to cw-1; no receipt was scanned'),
          ]);
      });

      it('a scan somewhere the lot is not held: CUSTODY_GAP', () => {
        const sampled = facts('v8', WAREHOUSE, null, null, iso(3));
        when(papered())
          .when(scan('SAMPLE', WAREHOUSE, iso(3), { scanId: 'v8' }), at(3))
          .then([
            { type: 'LotSampled', schemaVersion: 1, data: sampled },
            violation('CUSTODY_GAP', sampled, 'SAMPLE scanned at cw-1 while the lot was held by port-1'),
          ]);
      });
    });

    describe('DISPATCH onwards is gated out of central warehouses and wholesale markets', () => {
      it('out of a CENTRAL_WAREHOUSE without papers: TRADE_BLOCKED, every missing paper named in details.reasons', () => {
        const error = when(atWarehouse(registered()))
          .when(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET }), at(4))
          .thenThrows('TRADE_BLOCKED');
        expect(error.kind).toBe('rule');
        expect(reasonCodesOf(error)).toEqual([
          'CUSTOMS_DECLARATION_MISSING',
          'INSPECTION_CERTIFICATE_MISSING',
          'NUCLEIC_ACID_TEST_MISSING',
          'DISINFECTION_CERTIFICATE_MISSING',
        ]);
      });

      it('out of a CENTRAL_WAREHOUSE with one paper missing names just that one', () => {
        const [, ...withoutCustoms] = fullPapers();
        const error = when(atWarehouse(withPapers(registered(), withoutCustoms, 1)))
          .when(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET }), at(4))
          .thenThrows('TRADE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['CUSTOMS_DECLARATION_MISSING']);
      });

      it('out of a CENTRAL_WAREHOUSE with a positive test: TRADE_BLOCKED by the result and the lock', () => {
        const h = atWarehouse().run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-002', issuedAt: iso(3) })), at(3));
        const error = when(h).when(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET }), at(4)).thenThrows('TRADE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED']);
      });

      it('out of a CENTRAL_WAREHOUSE once a certificate expired: TRADE_BLOCKED CERTIFICATE_EXPIRED', () => {
        const error = when(atWarehouse())
          .when(scan('DISPATCH', WAREHOUSE, iso(15 * DAY), { to: MARKET }), at(15 * DAY))
          .thenThrows('TRADE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['CERTIFICATE_EXPIRED']);
      });

      it('out of a CENTRAL_WAREHOUSE the lot never was received at: TRADE_BLOCKED, trace incomplete', () => {
        const inTransit = papered().run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE }), at(2));
        const error = when(inTransit).when(scan('DISPATCH', WAREHOUSE, iso(3), { to: MARKET }), at(3)).thenThrows('TRADE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED', 'TRACE_INCOMPLETE', 'TRACE_INCOMPLETE']);
      });

      it('out of a WHOLESALE_MARKET while locked: TRADE_BLOCKED LOT_LOCKED', () => {
        const error = when(atMarket().run(lock(), at(5)))
          .when(scan('DISPATCH', MARKET, iso(6), { to: STORE }), at(6))
          .thenThrows('TRADE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['LOT_LOCKED']);
      });

      it('out of a WHOLESALE_MARKET the lot reached by bypassing the central warehouse: TRADE_BLOCKED', () => {
        const bypassed = papered()
          .run(scan('DISPATCH', PORT, iso(2), { to: MARKET }), at(2))
          .run(scan('RECEIVE', MARKET, iso(3)), at(3));
        const error = when(bypassed).when(scan('DISPATCH', MARKET, iso(4), { to: STORE }), at(4)).thenThrows('TRADE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED']);
      });
    });

    describe('a quantity in a stated unit (EPCIS states one)', () => {
      const sale = (quantityUnit: 'KG' | 'CARTON' | null, quantity: number | null = 2.5) => {
        const command = scan('SELL', STORE, iso(9), { zoneId: 'rs-sales', quantity });
        return { ...command, data: { ...command.data, quantityUnit } };
      };

      it("in the lot's own unit: the sale, as with none stated", () => {
        when(sellable()).when(sale('KG'), at(9)).then(lotDecider.decide(sale(null), sellable().state, at(9)));
      });

      it('in another unit: UNIT_MISMATCH, never converted', () => {
        const error = when(sellable()).when(sale('CARTON', 3), at(9)).thenThrows('UNIT_MISMATCH');
        expect(error.details).toEqual({ unit: 'KG', stated: 'CARTON' });
      });

      it('a unit with no quantity to count: VALIDATION_FAILED on unit', () => {
        const sample = scan('SAMPLE', STORE, iso(9));
        const error = when(sellable()).when({ ...sample, data: { ...sample.data, quantityUnit: 'KG' } }, at(9)).thenThrows('VALIDATION_FAILED');
        expect(error.details).toEqual({ field: 'unit' });
      });
    });

    describe('SELL is refused with every reason named', () => {
      it('at the port with nothing on file: SALE_BLOCKED', () => {
        const error = when(registered()).when(scan('SELL', PORT, iso(1), { quantity: 1 }), at(1)).thenThrows('SALE_BLOCKED');
        expect(error.kind).toBe('rule');
        expect(reasonCodesOf(error)).toEqual([
          'CUSTOMS_DECLARATION_MISSING',
          'INSPECTION_CERTIFICATE_MISSING',
          'NUCLEIC_ACID_TEST_MISSING',
          'DISINFECTION_CERTIFICATE_MISSING',
          'CENTRAL_WAREHOUSE_NOT_PASSED',
          'NOT_AT_RETAIL_STORE',
          'NOT_IN_DEDICATED_SALES_ZONE',
        ]);
      });

      it('at the wholesale market: SALE_BLOCKED NOT_AT_RETAIL_STORE', () => {
        const error = when(atMarket()).when(scan('SELL', MARKET, iso(6), { zoneId: 'wm-sales', quantity: 1 }), at(6)).thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['NOT_AT_RETAIL_STORE']);
      });

      it('from the retail store intake zone: SALE_BLOCKED NOT_IN_DEDICATED_SALES_ZONE', () => {
        const error = when(atStoreIntake()).when(scan('SELL', STORE, iso(8), { quantity: 1 }), at(8)).thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['NOT_IN_DEDICATED_SALES_ZONE']);
      });

      it('scanned in a general zone although stored in the sales zone: SALE_BLOCKED NOT_IN_DEDICATED_SALES_ZONE', () => {
        const error = when(sellable()).when(scan('SELL', STORE, iso(9), { zoneId: 'rs-general', quantity: 1 }), at(9)).thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['NOT_IN_DEDICATED_SALES_ZONE']);
      });

      it('at a retail store that does not hold the lot: SALE_BLOCKED, and the gap it reveals', () => {
        const error = when(sellable()).when(scan('SELL', OTHER_STORE, iso(9), { zoneId: 'rs2-sales', quantity: 1 }), at(9)).thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['TRACE_INCOMPLETE', 'NOT_AT_RETAIL_STORE']);
      });

      it('while locked: SALE_BLOCKED LOT_LOCKED', () => {
        const error = when(sellable().run(lock(), at(9))).when(scan('SELL', STORE, iso(10), { quantity: 1 }), at(10)).thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['LOT_LOCKED']);
      });

      it('once a certificate expired: SALE_BLOCKED CERTIFICATE_EXPIRED', () => {
        const error = when(sellable()).when(scan('SELL', STORE, iso(15 * DAY), { quantity: 1 }), at(15 * DAY)).thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['CERTIFICATE_EXPIRED']);
      });

      it('more than remains: SALE_BLOCKED QUANTITY_EXHAUSTED', () => {
        const h = sellable().run(scan('SELL', STORE, iso(9), { quantity: 60 }), at(9));
        const error = when(h).when(scan('SELL', STORE, iso(10), { quantity: 40.001 }), at(10)).thenThrows('SALE_BLOCKED');
        expect(reasonCodesOf(error)).toEqual(['QUANTITY_EXHAUSTED']);
        when(h)
          .when(scan('SELL', STORE, iso(10), { scanId: 'last', quantity: 40 }), at(10))
          .then([{ type: 'LotSold', schemaVersion: 1, data: { ...facts('last', STORE, null, null, iso(10)), quantity: 40 } }]);
      });

      it('a fractional amount of a counted unit: INVALID_QUANTITY', () => {
        const cartons = sellable(
          atStoreIntake(atMarket(atWarehouse(withPapers(lotHistory().run(registerLot({ quantity: { amount: 10, unit: 'CARTON' } }), at(0)), fullPapers(), 1)))),
        );
        when(cartons).when(scan('SELL', STORE, iso(9), { quantity: 1.5 }), at(9)).thenThrows('INVALID_QUANTITY', { field: 'quantity' });
        when(cartons)
          .when(scan('SELL', STORE, iso(9), { scanId: 'c1', quantity: 2 }), at(9))
          .then([{ type: 'LotSold', schemaVersion: 1, data: { ...facts('c1', STORE, null, null, iso(9)), quantity: 2 } }]);
      });
    });

    describe('refusals', () => {
      it('a zone of another facility: ZONE_NOT_IN_FACILITY', () => {
        const error = when(atWarehouse())
          .when(scan('STORE', WAREHOUSE, iso(4), { zoneId: 'rs-sales' }), at(4))
          .thenThrows('ZONE_NOT_IN_FACILITY', { facilityId: WAREHOUSE.id, zoneId: 'rs-sales' });
        expect(error.kind).toBe('rule');
      });

      it('a dispatch to where the lot already is: DISPATCH_TO_SAME_FACILITY', () => {
        when(atWarehouse()).when(scan('DISPATCH', WAREHOUSE, iso(4), { to: WAREHOUSE }), at(4)).thenThrows('DISPATCH_TO_SAME_FACILITY');
      });

      it('a dispatch of part of the lot: PARTIAL_DISPATCH_NOT_SUPPORTED', () => {
        when(atWarehouse()).when(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET, quantity: 40 }), at(4)).thenThrows('PARTIAL_DISPATCH_NOT_SUPPORTED');
      });

      it('a dispatch of more than remains: QUANTITY_EXCEEDS_REMAINING', () => {
        when(atWarehouse())
          .when(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET, quantity: 150 }), at(4))
          .thenThrows('QUANTITY_EXCEEDS_REMAINING', { remaining: 100 });
      });

      it('any non-sale scan of more than remains: QUANTITY_EXCEEDS_REMAINING', () => {
        const h = sellable().run(scan('SELL', STORE, iso(9), { quantity: 30 }), at(9));
        when(h).when(scan('STORE', STORE, iso(10), { zoneId: 'rs-sales', quantity: 70.5 }), at(10)).thenThrows('QUANTITY_EXCEEDS_REMAINING', { remaining: 70 });
      });

      it('a dispatch of a lot that is sold out: QUANTITY_EXHAUSTED', () => {
        const soldOut = sellable().run(scan('SELL', STORE, iso(9), { quantity: 100 }), at(9));
        when(soldOut).when(scan('DISPATCH', STORE, iso(10), { to: OTHER_STORE }), at(10)).thenThrows('QUANTITY_EXHAUSTED');
      });

      it('an invalid quantity on a scan: INVALID_QUANTITY', () => {
        when(atWarehouse()).when(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET, quantity: -1 }), at(4)).thenThrows('INVALID_QUANTITY', { field: 'quantity' });
      });

      it('unreadable scan or vehicle times: VALIDATION_FAILED', () => {
        when(registered()).when(scan('SAMPLE', PORT, 'not a time'), at(1)).thenThrows('VALIDATION_FAILED', { field: 'occurredAt' });
        when(registered())
          .when(scan('DISINFECT', PORT, iso(1), { vehicle: truck('SH-5', 'whenever') }), at(1))
          .thenThrows('VALIDATION_FAILED', { field: 'vehicle.disinfectedAt' });
      });
    });
  });

  describe('LockLot / UnlockLot', () => {
    it('a regulator locks a lot: LotLocked', () => {
      when(registered())
        .when(lock('suspected contamination'), at(1))
        .then([
          {
            type: 'LotLocked',
            schemaVersion: 2,
            data: { reason: 'suspected contamination', source: 'REGULATOR', documentNumber: null, lockedAt: iso(1), ancestor: null },
          },
        ]);
    });

    it('a locked lot cannot be locked again: LOT_ALREADY_LOCKED', () => {
      const error = when(registered().run(lock(), at(1))).when(lock('again'), at(2)).thenThrows('LOT_ALREADY_LOCKED');
      expect(error.kind).toBe('conflict');
      when(registered().run(attach(nucleicAcidTest('POSITIVE')), at(1))).when(lock(), at(2)).thenThrows('LOT_ALREADY_LOCKED');
    });

    it('a locked lot is unlocked: LotUnlocked', () => {
      when(registered().run(attach(nucleicAcidTest('POSITIVE')), at(1)))
        .when(unlock('retest negative'), at(2))
        .then([{ type: 'LotUnlocked', schemaVersion: 2, data: { reason: 'retest negative', unlockedAt: iso(2), ancestor: null } }]);
    });

    it('a lot that is not locked cannot be unlocked: LOT_NOT_LOCKED', () => {
      when(registered()).when(unlock(), at(1)).thenThrows('LOT_NOT_LOCKED');
      when(registered().run(lock(), at(1)).run(unlock(), at(2))).when(unlock(), at(3)).thenThrows('LOT_NOT_LOCKED');
    });

    it('a locked lot may not move from anywhere, not even out of the port: TRADE_BLOCKED with LOT_LOCKED', () => {
      const error = when(registered().run(lock('hold at the port'), at(1)))
        .when(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE }), at(2))
        .thenThrows('TRADE_BLOCKED');
      expect(reasonCodesOf(error)).toEqual(['LOT_LOCKED']);
    });

    it('an unlocked lot can be locked again', () => {
      when(registered().run(lock(), at(1)).run(unlock(), at(2)))
        .when(lock('second hold'), at(3))
        .then([
          {
            type: 'LotLocked',
            schemaVersion: 2,
            data: { reason: 'second hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(3), ancestor: null },
          },
        ]);
    });

    describe('locks that reach the lot through an ancestor', () => {
      const ANCESTOR = 'CT-2021-0042';
      const OTHER_ANCESTOR = 'CT-2021-0077';

      it('LockLot naming an ancestor: LotLocked v2 with the ancestor, kept apart from the own lock', () => {
        const h = registered();
        when(h)
          .when(lockThrough(ANCESTOR, 'ancestor tested positive'), at(2))
          .then([
            {
              type: 'LotLocked',
              schemaVersion: 2,
              data: { reason: 'ancestor tested positive', source: 'REGULATOR', documentNumber: null, lockedAt: iso(2), ancestor: ANCESTOR },
            },
          ]);
        const state = h.run(lockThrough(ANCESTOR, 'ancestor tested positive'), at(2)).state;
        expect(state.lock).toBeNull();
        expect(state.ancestorLocks).toEqual([{ ancestor: ANCESTOR, reason: 'ancestor tested positive', lockedAt: iso(2) }]);
        expect(lotStatus(state)).toBe('LOCKED');
        expect(lockReasons(state)).toEqual([
          { code: 'LOT_LOCKED', message: `locked through ancestor ${ANCESTOR} at ${iso(2)}: ancestor tested positive` },
        ]);
      });

      it('the same ancestor again is a no-op, whatever the reason', () => {
        const h = registered().run(lockThrough(ANCESTOR), at(2));
        when(h).when(lockThrough(ANCESTOR), at(3)).then([]);
        when(h).when(lockThrough(ANCESTOR, 'another reason'), at(3)).then([]);
      });

      it('another ancestor adds its own lock', () => {
        const h = registered().run(lockThrough(ANCESTOR), at(2));
        when(h)
          .when(lockThrough(OTHER_ANCESTOR), at(3))
          .then([
            {
              type: 'LotLocked',
              schemaVersion: 2,
              data: { reason: `lot ${OTHER_ANCESTOR} is locked`, source: 'REGULATOR', documentNumber: null, lockedAt: iso(3), ancestor: OTHER_ANCESTOR },
            },
          ]);
      });

      it('an ancestor lock does not collide with the own lock, either way round', () => {
        when(registered().run(lock(), at(1)))
          .when(lockThrough(ANCESTOR), at(2))
          .then([
            {
              type: 'LotLocked',
              schemaVersion: 2,
              data: { reason: `lot ${ANCESTOR} is locked`, source: 'REGULATOR', documentNumber: null, lockedAt: iso(2), ancestor: ANCESTOR },
            },
          ]);
        when(registered().run(lockThrough(ANCESTOR), at(1)))
          .when(lock('own hold'), at(2))
          .then([
            { type: 'LotLocked', schemaVersion: 2, data: { reason: 'own hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(2), ancestor: null } },
          ]);
      });

      it('a POSITIVE test on a lot locked only through an ancestor still locks the lot itself', () => {
        when(registered().run(lockThrough(ANCESTOR), at(1)))
          .when(attach(nucleicAcidTest('POSITIVE')), at(2))
          .then([
            attached(nucleicAcidTest('POSITIVE'), iso(2)),
            {
              type: 'LotLocked',
              schemaVersion: 2,
              data: { reason: 'nucleic-acid test NAT-001 is POSITIVE', source: 'POSITIVE_TEST', documentNumber: 'NAT-001', lockedAt: iso(2), ancestor: null },
            },
          ]);
      });

      it("UnlockLot naming an ancestor removes only that ancestor's lock; the own lock and other ancestors' stay", () => {
        const h = registered().run(lock('own hold'), at(1)).run(lockThrough(ANCESTOR), at(2)).run(lockThrough(OTHER_ANCESTOR), at(3));
        when(h)
          .when(unlockThrough(ANCESTOR, 'ancestor retested negative'), at(4))
          .then([{ type: 'LotUnlocked', schemaVersion: 2, data: { reason: 'ancestor retested negative', unlockedAt: iso(4), ancestor: ANCESTOR } }]);
        const state = h.run(unlockThrough(ANCESTOR), at(4)).state;
        expect(state.lock).toEqual({ reason: 'own hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(1) });
        expect(state.ancestorLocks).toEqual([{ ancestor: OTHER_ANCESTOR, reason: `lot ${OTHER_ANCESTOR} is locked`, lockedAt: iso(3) }]);
        expect(lotStatus(state)).toBe('LOCKED');
      });

      it('UnlockLot naming an ancestor whose lock is not on the lot is a no-op', () => {
        when(registered()).when(unlockThrough(ANCESTOR), at(2)).then([]);
        when(registered().run(lock(), at(1))).when(unlockThrough(ANCESTOR), at(2)).then([]);
        when(registered().run(lockThrough(ANCESTOR), at(1)).run(unlockThrough(ANCESTOR), at(2))).when(unlockThrough(ANCESTOR), at(3)).then([]);
      });

      it('the own unlock leaves the ancestor locks; it is refused when only ancestors lock the lot', () => {
        const h = registered().run(lock(), at(1)).run(lockThrough(ANCESTOR), at(2));
        const state = h.run(unlock(), at(3)).state;
        expect(state.lock).toBeNull();
        expect(state.ancestorLocks).toEqual([{ ancestor: ANCESTOR, reason: `lot ${ANCESTOR} is locked`, lockedAt: iso(2) }]);
        expect(lotStatus(state)).toBe('LOCKED');
        when(registered().run(lockThrough(ANCESTOR), at(1))).when(unlock(), at(2)).thenThrows('LOT_NOT_LOCKED');
      });

      it('the LOT_LOCKED reasons list the own lock and each ancestor lock separately', () => {
        const h = sellable().run(lock('spot check'), at(9)).run(lockThrough(ANCESTOR, 'ancestor tested positive'), at(10));
        expect(saleEligibility(h.state, at(10))).toEqual({
          allowed: false,
          reasons: [
            { code: 'LOT_LOCKED', message: `locked at ${iso(9)} (REGULATOR): spot check` },
            { code: 'LOT_LOCKED', message: `locked through ancestor ${ANCESTOR} at ${iso(10)}: ancestor tested positive` },
          ],
        });
      });

      it('a lot locked only through an ancestor may not move, not even out of the port: TRADE_BLOCKED with LOT_LOCKED', () => {
        const error = when(registered().run(lockThrough(ANCESTOR), at(1)))
          .when(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, vehicle: truck() }), at(2))
          .thenThrows('TRADE_BLOCKED');
        expect(error.details?.['reasons']).toEqual([
          { code: 'LOT_LOCKED', message: `locked through ancestor ${ANCESTOR} at ${iso(1)}: lot ${ANCESTOR} is locked` },
        ]);
      });
    });
  });

  describe('commands on a lot that was never registered', () => {
    it.each<[string, SingleLotCommand]>([
      ['AttachDocument', attach(customsDeclaration())],
      ['RecordScan', scan('RECEIVE', WAREHOUSE, iso(1), { zoneId: 'cw-intake' })],
      ['RecordScan with an unknown zone', scan('STORE', WAREHOUSE, iso(1), { zoneId: 'nowhere' })],
      ['LockLot', lock()],
      ['UnlockLot', unlock()],
      ['LockLot through an ancestor', lockThrough('CT-PARENT')],
      ['UnlockLot through an ancestor', unlockThrough('CT-PARENT')],
      ['RecallLot', recall()],
      ['DestroyLot', destroy()],
      ['SplitLot', splitLot([{ traceCode: 'CT-CHILD', quantity: 1 }], iso(1))],
    ])('%s: LOT_NOT_FOUND', (_name, command) => {
      const error = given(lotDecider).when(command, at(1)).thenThrows('LOT_NOT_FOUND');
      expect(error.kind).toBe('not_found');
    });
  });
});
