import { given } from '../testing/given-when-then';
import {
  at,
  atWarehouse,
  attach,
  customsDeclaration,
  DAY,
  domainErrorOf,
  fullPapers,
  iso,
  LotHistory,
  lotHistory,
  MARKET,
  nucleicAcidTest,
  OTHER_STORE,
  papered,
  PORT,
  reasonCodesOf,
  registered,
  registeredAs,
  scan,
  scanFacts,
  sellable,
  splitInto,
  splitLot,
  STORE,
  TRACE_CODE,
  truck,
  WAREHOUSE,
  withPapers,
} from '../testing/lot-fixtures';
import { FacilityRef } from '../facility/facility.types';
import { DocumentAlsoOn, ReceiveDocument, ResolveViolation } from './lot.commands';
import { lotDecider } from './lot.decider';
import { decideMerge } from './lot.genealogy';
import { LotEvent } from './lot.events';
import { LotDocument, violationId } from './lot.types';
import { saleEligibility } from './sale-eligibility.policy';
import { DEFAULT_TIME_POLICY } from './time';

const when = (h: LotHistory) => given(lotDecider, h.events);

const resolve = (id: string, reason = 'reviewed on site', correction: ResolveViolation['data']['correction'] = null, inheritedFrom: string | null = null): ResolveViolation => ({
  type: 'ResolveViolation',
  data: { violationId: id, reason, correction, inheritedFrom },
});
const correctTo = (facility: FacilityRef, zoneId: string | null, occurredAt: string | null = null) => ({ correctionId: 'C-1', facility, zoneId, occurredAt });
const receive = (document: LotDocument, traceCode: string, viaParent: string | null = null): ReceiveDocument => ({
  type: 'ReceiveDocument',
  data: { document, source: { traceCode, viaParent } },
});

describe('time sanity (judged by the domain)', () => {
  it('a SELL dated 2001 (years before the lot entered): OCCURRED_BEFORE_ENTRY, nothing decided', () => {
    const error = when(sellable())
      .when(scan('SELL', STORE, '2001-01-01T00:00:00Z', { zoneId: 'rs-sales', quantity: 1 }), at(9))
      .thenThrows('OCCURRED_BEFORE_ENTRY', { field: 'occurredAt', enteredAt: iso(0) });
    expect(error.kind).toBe('rule');
  });

  it('any scan dated before the lot entered the country: OCCURRED_BEFORE_ENTRY (no tolerance for scans by default)', () => {
    when(registered()).when(scan('SAMPLE', PORT, iso(-1)), at(1)).thenThrows('OCCURRED_BEFORE_ENTRY');
    when(registered()).when(scan('SAMPLE', PORT, iso(0)), at(1)).then([{ type: 'LotSampled', schemaVersion: 1, data: scanFacts(`scan-sample-${PORT.id}-${iso(0)}`, PORT, null, null, iso(0)) }]);
    // ... unless a tolerance is configured (clock skew of the port's scanners).
    const tolerant = scan('SAMPLE', PORT, iso(-1), { scanId: 's-skew' });
    when(registered())
      .when({ ...tolerant, data: { ...tolerant.data, timePolicy: { ...DEFAULT_TIME_POLICY, scanToleranceMs: 2 * 3_600_000 } } }, at(1))
      .then([{ type: 'LotSampled', schemaVersion: 1, data: scanFacts('s-skew', PORT, null, null, iso(-1)) }]);
  });

  it('a SELL an hour before the store received the lot: SALE_BEFORE_RECEIPT', () => {
    when(sellable())
      .when(scan('SELL', STORE, iso(6), { zoneId: 'rs-sales', quantity: 1 }), at(9))
      .thenThrows('SALE_BEFORE_RECEIPT', { facilityId: STORE.id, occurredAt: iso(6) });
  });

  it('a DISPATCH dated before its RECEIVE: DISPATCH_BEFORE_RECEIPT', () => {
    when(atWarehouse())
      .when(scan('DISPATCH', WAREHOUSE, iso(2.5), { to: MARKET, vehicle: truck() }), at(4))
      .thenThrows('DISPATCH_BEFORE_RECEIPT', { facilityId: WAREHOUSE.id });
  });

  it('a scan at a place the lot never was is not "before receipt": it is a custody gap, recorded', () => {
    const [, violation] = when(sellable())
      .when(scan('SAMPLE', OTHER_STORE, iso(9), { scanId: 'stray' }), at(9))
      .then([
        { type: 'LotSampled', schemaVersion: 1, data: scanFacts('stray', OTHER_STORE, null, null, iso(9)) },
        {
          type: 'TraceViolationRecorded',
          schemaVersion: 1,
          data: { kind: 'CUSTODY_GAP', scanId: 'stray', facilityId: OTHER_STORE.id, message: `SAMPLE scanned at ${OTHER_STORE.id} while the lot was held by ${STORE.id}`, occurredAt: iso(9) },
        },
      ]);
    expect(violation.type).toBe('TraceViolationRecorded');
  });

  describe('a movement uploaded late takes its place by when it happened', () => {
    // The warehouse's handheld was offline: its RECEIVE (hour 3) arrives after the market scanned the lot (hours 4-5).
    const withoutReceipt = papered()
      .run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, vehicle: truck() }), at(2))
      .run(scan('STORE', WAREHOUSE, iso(3.5), { scanId: 'cw-store', zoneId: 'cw-storage' }), at(3.5));
    const lateReceipt = scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'late-receive', zoneId: 'cw-intake', vehicle: truck() });

    it('the STORE scanned while the lot seemed in transit was recorded as a custody gap', () => {
      expect(withoutReceipt.state.violations.map((v) => [v.id, v.status])).toEqual([['cw-store.CUSTODY_GAP', 'OPEN']]);
    });

    it('the late RECEIVE is accepted, flagged OUT_OF_ORDER_SCAN, matches the dispatch and does not move the lot back', () => {
      const events = when(withoutReceipt)
        .when(lateReceipt, at(6))
        .then([
          {
            type: 'LotReceived',
            schemaVersion: 1,
            data: { ...scanFacts('late-receive', WAREHOUSE, 'cw-intake', 'DEDICATED_INTAKE', iso(3)), fromFacilityId: PORT.id, vehicle: truck() },
          },
          {
            type: 'ComplianceFlagRaised',
            schemaVersion: 2,
            data: {
              flag: 'OUT_OF_ORDER_SCAN',
              scanId: 'late-receive',
              facilityId: WAREHOUSE.id,
              message: `RECEIVE dated ${iso(3)} arrived after a movement dated ${iso(3.5)}; placed on the timeline by its own time`,
              occurredAt: iso(3),
            },
          },
        ]);
      const after = withoutReceipt.append(events).state;
      expect(after.custody).toMatchObject({ facilityId: WAREHOUSE.id, zoneId: 'cw-storage' });
      // The gap it filled no longer blocks: recorded, but explained by the late receipt.
      expect(after.violations).toEqual([expect.objectContaining({ id: 'cw-store.CUSTODY_GAP', status: 'EXPLAINED' })]);
      expect(after.route.map((s) => s.facilityId)).toEqual([PORT.id, WAREHOUSE.id]);
    });

    it('the lot walks on and is sellable, with the late receipt on file', () => {
      const h = withoutReceipt.run(lateReceipt, at(6));
      const journey = h
        .run(scan('DISPATCH', WAREHOUSE, iso(7), { to: MARKET, vehicle: truck() }), at(7))
        .run(scan('RECEIVE', MARKET, iso(8), { zoneId: 'wm-intake' }), at(8))
        .run(scan('DISPATCH', MARKET, iso(9), { to: STORE, vehicle: truck() }), at(9))
        .run(scan('RECEIVE', STORE, iso(10), { zoneId: 'rs-intake' }), at(10))
        .run(scan('STORE', STORE, iso(11), { zoneId: 'rs-sales' }), at(11));
      expect(saleEligibility(journey.state, at(12))).toEqual({ allowed: true, reasons: [] });
      expect(journey.state.flags.map((f) => f.flag)).toEqual(['OUT_OF_ORDER_SCAN']);
    });

    it('scans inverted by moments (two scanners, drifting clocks) are placed by time without a flag', () => {
      const h = atWarehouse().run(scan('STORE', WAREHOUSE, iso(3.1), { zoneId: 'cw-storage' }), at(3.1));
      const inverted = scan('SAMPLE', WAREHOUSE, new Date(Date.parse(iso(3.1)) - 60_000).toISOString(), { scanId: 'minute-early' });
      const events = when(h).when(inverted, at(3.2)).then([
        { type: 'LotSampled', schemaVersion: 1, data: scanFacts('minute-early', WAREHOUSE, null, null, new Date(Date.parse(iso(3.1)) - 60_000).toISOString()) },
      ]);
      expect(h.append(events).state.custody).toMatchObject({ facilityId: WAREHOUSE.id, zoneId: 'cw-storage' });
    });

    it('a late scan that shows an earlier-recorded one in a new light records what it reveals, against that scan', () => {
      // Recorded in order: the lot left the warehouse for the market (hour 4). Uploaded late: a RECEIVE at the market
      // dated before that dispatch (hour 3.5): by time, the lot was at the market when the warehouse dispatched it.
      const h = atWarehouse().run(scan('DISPATCH', WAREHOUSE, iso(4), { scanId: 'cw-out', to: MARKET, vehicle: truck() }), at(4));
      const events = when(h)
        .when(scan('RECEIVE', MARKET, iso(3.5), { scanId: 'early-wm', zoneId: 'wm-intake' }), at(5))
        .then([
          {
            type: 'LotReceived',
            schemaVersion: 1,
            data: { ...scanFacts('early-wm', MARKET, 'wm-intake', 'DEDICATED_INTAKE', iso(3.5)), fromFacilityId: null, vehicle: null },
          },
          {
            type: 'TraceViolationRecorded',
            schemaVersion: 1,
            data: { kind: 'RECEIPT_WITHOUT_DISPATCH', scanId: 'early-wm', facilityId: MARKET.id, message: `received at ${MARKET.id}, but no dispatch from ${WAREHOUSE.id} was scanned`, occurredAt: iso(3.5) },
          },
          {
            type: 'TraceViolationRecorded',
            schemaVersion: 1,
            data: { kind: 'CUSTODY_GAP', scanId: 'cw-out', facilityId: WAREHOUSE.id, message: `DISPATCH scanned at ${WAREHOUSE.id} while the lot was held by ${MARKET.id}`, occurredAt: iso(4) },
          },
          {
            type: 'ComplianceFlagRaised',
            schemaVersion: 2,
            data: {
              flag: 'OUT_OF_ORDER_SCAN',
              scanId: 'early-wm',
              facilityId: MARKET.id,
              message: `RECEIVE dated ${iso(3.5)} arrived after a movement dated ${iso(4)}; placed on the timeline by its own time`,
              occurredAt: iso(3.5),
            },
          },
        ]);
      const after = h.append(events).state;
      // Still in transit to the market, as the latest movement says.
      expect(after.inTransit).toMatchObject({ fromFacilityId: WAREHOUSE.id, toFacilityId: MARKET.id });
      expect(after.violations.map((v) => [v.id, v.status])).toEqual([
        ['early-wm.RECEIPT_WITHOUT_DISPATCH', 'OPEN'],
        ['cw-out.CUSTODY_GAP', 'OPEN'],
      ]);
    });
  });
});

describe('document plausibility', () => {
  it('a NEGATIVE test "issued" in 2001 for a lot that entered days ago: OCCURRED_BEFORE_ENTRY', () => {
    when(registered())
      .when(attach(nucleicAcidTest('NEGATIVE', { issuedAt: '2001-06-01T00:00:00Z', validUntil: null })), at(4 * DAY))
      .thenThrows('OCCURRED_BEFORE_ENTRY', { field: 'issuedAt' });
  });

  it('papers may be issued up to 30 days before entry (abroad, before shipping), not earlier', () => {
    const before = (days: number) => customsDeclaration({ issuedAt: iso(-days * DAY) });
    when(registered()).when(attach(before(29)), at(1)).then([
      { type: 'DocumentAttached', schemaVersion: 2, data: { document: before(29), attachedAt: iso(1), source: null } },
    ]);
    when(registered()).when(attach(before(31)), at(1)).thenThrows('OCCURRED_BEFORE_ENTRY');
  });

  it.each(['2026', '2026-11', '2026-11-20', '2026-11-20T08:00:00', '2026-11-20 08:00:00Z', '2022-02-30T08:00:00Z', '2022-03-01T24:00:00Z'])(
    'a reduced-precision, zone-less or impossible date (%j): VALIDATION_FAILED',
    (issuedAt) => {
      when(registered()).when(attach(customsDeclaration({ issuedAt })), at(1)).thenThrows('VALIDATION_FAILED', { field: 'issuedAt' });
    },
  );

  it('validUntil must follow issuedAt', () => {
    when(registered())
      .when(attach(customsDeclaration({ issuedAt: iso(-2), validUntil: iso(-3) })), at(1))
      .thenThrows('VALIDATION_FAILED', { field: 'validUntil' });
  });

  describe('the same document number on another lot', () => {
    const doc = customsDeclaration({ number: 'CD-SHARED' });
    const attachWith = (alsoOn: DocumentAlsoOn[]) => ({ type: 'AttachDocument' as const, data: { document: doc, alsoOn } });

    it('is allowed and raises nothing for a lot of the same genealogy or the same import declaration', () => {
      when(registered())
        .when(attachWith([{ traceCode: 'SIBLING', sameGenealogy: true, sameDeclaration: false }, { traceCode: 'SAME-CD', sameGenealogy: false, sameDeclaration: true }]), at(1))
        .then([{ type: 'DocumentAttached', schemaVersion: 2, data: { document: doc, attachedAt: iso(1), source: null } }]);
    });

    it('is allowed but flagged DOCUMENT_REUSED, naming the unrelated lots, otherwise', () => {
      const events = when(registered())
        .when(attachWith([{ traceCode: 'STRANGER-1', sameGenealogy: false, sameDeclaration: false }, { traceCode: 'SIBLING', sameGenealogy: true, sameDeclaration: false }]), at(1))
        .then([
          { type: 'DocumentAttached', schemaVersion: 2, data: { document: doc, attachedAt: iso(1), source: null } },
          {
            type: 'ComplianceFlagRaised',
            schemaVersion: 2,
            data: {
              flag: 'DOCUMENT_REUSED',
              scanId: null,
              facilityId: null,
              message: 'CUSTOMS_DECLARATION CD-SHARED of Customs is also on lot STRANGER-1, of another genealogy and another import declaration',
              occurredAt: iso(1),
            },
          },
        ]);
      expect(registered().append(events).state.flags).toEqual([
        { flag: 'DOCUMENT_REUSED', facilityId: null, message: expect.stringContaining('STRANGER-1'), occurredAt: iso(1) },
      ]);
    });
  });
});

describe('resolving violations', () => {
  // Sellable at the store; then a SAMPLE scanned by mistake at another store that never had it.
  const stray = sellable().run(scan('SAMPLE', OTHER_STORE, iso(9), { scanId: 'stray' }), at(9));
  const strayId = violationId('stray', 'CUSTODY_GAP');

  it('the stray scan blocks the lot: it now seems to be at the other store, with an open custody gap', () => {
    expect(stray.state.violations.map((v) => [v.id, v.status])).toEqual([[strayId, 'OPEN']]);
    // By its scans the lot is now at the other store: a sale at its real store shows a second gap, and the wrong holder.
    expect(reasonCodesOf(domainErrorOf(() => lotDecider.decide(scan('SELL', STORE, iso(10), { zoneId: 'rs-sales', quantity: 1 }), stray.state, at(10))))).toEqual([
      'TRACE_INCOMPLETE',
      'TRACE_INCOMPLETE',
      'NOT_AT_RETAIL_STORE',
    ]);
  });

  it('a resolution with a correction records both, leaves the scan on file, and the lot is sellable again', () => {
    const [resolved, corrected] = when(stray)
      .when(resolve(strayId, 'scanned by mistake; the lot never left RS-1', correctTo(STORE, 'rs-sales')), at(10))
      .then([
        { type: 'ViolationResolved', schemaVersion: 1, data: { violationId: strayId, reason: 'scanned by mistake; the lot never left RS-1', resolvedAt: iso(10), inheritedFrom: null } },
        {
          type: 'CustodyCorrected',
          schemaVersion: 1,
          data: {
            correctionId: 'C-1',
            violationId: strayId,
            facilityId: STORE.id,
            facilityType: 'RETAIL_STORE',
            zoneId: 'rs-sales',
            zoneKind: 'DEDICATED_SALES',
            occurredAt: iso(9),
            reason: 'scanned by mistake; the lot never left RS-1',
            correctedAt: iso(10),
          },
        },
      ]);
    const after = stray.append([resolved, corrected]).state;
    expect(after.violations).toEqual([
      expect.objectContaining({ id: strayId, status: 'RESOLVED', resolution: { reason: 'scanned by mistake; the lot never left RS-1', resolvedAt: iso(10) } }),
    ]);
    expect(after.custody).toMatchObject({ facilityId: STORE.id, zoneKind: 'DEDICATED_SALES' });
    expect(after.movements.find((m) => m.ref === 'stray')).toBeDefined();
    expect(saleEligibility(after, at(11))).toEqual({ allowed: true, reasons: [] });
  });

  it('a resolution alone lifts the block of the violation, but custody stays where the scans put it', () => {
    const after = stray.run(resolve(strayId), at(10)).state;
    expect(saleEligibility(after, at(11)).reasons.map((r) => r.code)).toEqual(['NOT_IN_DEDICATED_SALES_ZONE']);
  });

  it('an unknown violation: VIOLATION_NOT_FOUND; a second resolution: VIOLATION_ALREADY_RESOLVED', () => {
    when(stray).when(resolve('nope.CUSTODY_GAP'), at(10)).thenThrows('VIOLATION_NOT_FOUND', { violationId: 'nope.CUSTODY_GAP' });
    when(stray.run(resolve(strayId), at(10))).when(resolve(strayId), at(11)).thenThrows('VIOLATION_ALREADY_RESOLVED');
  });

  it('a correction to a zone of another facility: ZONE_NOT_IN_FACILITY; one dated before entry: OCCURRED_BEFORE_ENTRY', () => {
    when(stray).when(resolve(strayId, 'x', correctTo(STORE, 'cw-storage')), at(10)).thenThrows('ZONE_NOT_IN_FACILITY');
    when(stray).when(resolve(strayId, 'x', correctTo(STORE, 'rs-sales', iso(-5))), at(10)).thenThrows('OCCURRED_BEFORE_ENTRY');
  });

  it('a lot that bypassed the central warehouse: a correction at a central warehouse before the market makes the chain whole', () => {
    const bypassed = papered()
      .run(scan('DISPATCH', PORT, iso(2), { to: MARKET, vehicle: truck() }), at(2))
      .run(scan('RECEIVE', MARKET, iso(3), { scanId: 'wm-in', zoneId: 'wm-intake' }), at(3));
    const id = violationId('wm-in', 'CENTRAL_WAREHOUSE_BYPASSED');
    expect(bypassed.state.violations.map((v) => v.id)).toEqual([id]);
    const corrected = bypassed.run(resolve(id, 'received at CW-1 on paper; scanner fault', correctTo(WAREHOUSE, 'cw-intake', iso(2.5))), at(4));
    expect(corrected.state.passedCentralWarehouse).toBe(true);
    // Held at the warehouse from 2.5 on, the market's receipt at 3 now lacks a dispatch from it: recorded, for the regulator to resolve too.
    const revealed = violationId('wm-in', 'RECEIPT_WITHOUT_DISPATCH');
    expect(corrected.state.violations.map((v) => [v.id, v.status])).toEqual([
      [revealed, 'OPEN'],
      [id, 'RESOLVED'],
    ]);
    const after = corrected.run(resolve(revealed, 'dispatch from CW-1 on paper'), at(5)).state;
    expect(saleEligibility(after, at(6)).reasons.map((r) => r.code)).not.toContain('CENTRAL_WAREHOUSE_NOT_PASSED');
    expect(saleEligibility(after, at(6)).reasons.map((r) => r.code)).not.toContain('TRACE_INCOMPLETE');
  });

  it('reaches a descendant that inherited the violation, naming the ancestor; others decide nothing', () => {
    const { children } = splitInto(stray, splitLot([{ traceCode: 'CHILD', quantity: 10 }], iso(9.5)), at(9.5));
    const child = children[0];
    expect(child.state.violations).toEqual([expect.objectContaining({ id: strayId, status: 'OPEN' })]);
    when(child)
      .when(resolve(strayId, 'reviewed', null, TRACE_CODE), at(10))
      .then([{ type: 'ViolationResolved', schemaVersion: 1, data: { violationId: strayId, reason: 'reviewed', resolvedAt: iso(10), inheritedFrom: TRACE_CODE } }]);
    when(sellable()).when(resolve(strayId, 'reviewed', null, TRACE_CODE), at(10)).then([]);
  });
});

describe('documents flow down to descendants', () => {
  const parent = atWarehouse(withPapers(registered(), [customsDeclaration()], 1));
  const { children } = splitInto(parent, splitLot([{ traceCode: 'A', quantity: 10 }, { traceCode: 'B', quantity: 10 }], iso(4)), at(4));
  const test = nucleicAcidTest('NEGATIVE', { number: 'NAT-LATE', issuedAt: iso(5) });

  it('a child without a valid document of that type receives it, naming the source lot', () => {
    when(children[0])
      .when(receive(test, TRACE_CODE), at(6))
      .then([{ type: 'DocumentAttached', schemaVersion: 2, data: { document: test, attachedAt: iso(6), source: { traceCode: TRACE_CODE, viaParent: null } } }]);
  });

  it('a child with a valid one of its own keeps it; a copy already on file is not copied again', () => {
    const own = children[0].run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-OWN', issuedAt: iso(5) })), at(5));
    when(own).when(receive(test, TRACE_CODE), at(6)).then([]);
    const copied = children[0].run(receive(test, TRACE_CODE), at(6));
    when(copied).when(receive(test, TRACE_CODE), at(7)).then([]);
  });

  it('a child whose own test expired receives the newer one', () => {
    const expired = children[0].run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-OLD', issuedAt: iso(4.5), validUntil: iso(5) })), at(4.5));
    const [event] = when(expired).when(receive(test, TRACE_CODE), at(6)).then([
      { type: 'DocumentAttached', schemaVersion: 2, data: { document: test, attachedAt: iso(6), source: { traceCode: TRACE_CODE, viaParent: null } } },
    ]);
    expect(event.type).toBe('DocumentAttached');
  });

  it('a parent split into two children and then given all four papers: both children sale-eligible at the store', () => {
    const bare = atWarehouse(registered());
    const split = splitInto(bare, splitLot([{ traceCode: 'A', quantity: 10 }, { traceCode: 'B', quantity: 10 }], iso(4)), at(4));
    for (const child of split.children) {
      const papers = fullPapers().reduce((h, d) => h.run(receive(d, TRACE_CODE), at(5)), child);
      const atStore = papers
        .run(scan('DISPATCH', WAREHOUSE, iso(6), { to: MARKET, vehicle: truck() }), at(6))
        .run(scan('RECEIVE', MARKET, iso(7), { zoneId: 'wm-intake' }), at(7))
        .run(scan('DISPATCH', MARKET, iso(8), { to: STORE, vehicle: truck() }), at(8))
        .run(scan('RECEIVE', STORE, iso(9), { zoneId: 'rs-intake' }), at(9))
        .run(scan('STORE', STORE, iso(10), { zoneId: 'rs-sales' }), at(10));
      expect(saleEligibility(atStore.state, at(11))).toEqual({ allowed: true, reasons: [] });
    }
  });

  it('into a lot repacked from several parents, only the line of the parent it came through', () => {
    const other = atWarehouse(withPapers(registeredAs('OTHER'), fullPapers(), 1));
    const merged = decideMerge(
      {
        mergeId: 'M-1',
        traceCode: 'MERGED',
        facility: WAREHOUSE,
        occurredAt: iso(5),
        parents: [
          { portion: { traceCode: TRACE_CODE, quantity: 5 }, state: parent.state },
          { portion: { traceCode: 'OTHER', quantity: 5 }, state: other.state },
        ],
      },
      lotHistory().state,
      at(5),
    );
    const mergedLot = lotHistory(merged.child as LotEvent[]);
    const received = mergedLot.run(receive(test, TRACE_CODE, TRACE_CODE), at(6)).state;
    const lines = received.inheritedPaperLines;
    expect(lines.find((l) => l.from === TRACE_CODE)!.documents.map((d) => d.number)).toContain('NAT-LATE');
    expect(lines.find((l) => l.from === 'OTHER')!.documents.map((d) => d.number)).not.toContain('NAT-LATE');
    // The other line had a test of its own already; a second one of the other parent's would not be taken.
    when(mergedLot).when(receive(test, 'OTHER', 'OTHER'), at(6)).then([]);
  });
});

