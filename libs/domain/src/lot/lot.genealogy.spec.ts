import { deepFreeze, given } from '../testing/given-when-then';
import {
  at,
  atMarket,
  atStoreIntake,
  atWarehouse,
  attach,
  customsDeclaration,
  DAY,
  destroy,
  domainErrorOf,
  fullPapers,
  iso,
  journey,
  lock,
  lockThrough,
  LotHistory,
  lotHistory,
  MARKET,
  mergeInput,
  nucleicAcidTest,
  papered,
  PORT,
  reasonCodesOf,
  recall,
  registered,
  registeredAs,
  registerLot,
  scan,
  scanFacts,
  sellable,
  splitInto,
  splitLot,
  STORE,
  TRACE_CODE,
  truck,
  unlock,
  unlockThrough,
  WAREHOUSE,
  withPapers,
} from '../testing/lot-fixtures';
import { lotDecider } from './lot.decider';
import { LotDerived, LotEvent, LotMerged } from './lot.events';
import { decideMerge, deriveSplitChildren, MergeDecision } from './lot.genealogy';
import { initialLotState, LotState } from './lot.state';
import { lotStatus } from './eligibility-facts';
import { DocumentType, LotDocument, LotPortion, RouteStop } from './lot.types';
import { eligibilityLapsesAt, lockReasons, saleEligibility, tradeBlockers } from './sale-eligibility.policy';

const when = (h: LotHistory) => given(lotDecider, h.events);

const PARENT = TRACE_CODE;
const C1 = 'CT-2022-0001-A';
const C2 = 'CT-2022-0001-B';
const OTHER = 'CT-2022-0002';
const MERGED = 'CT-2022-M001';

const papersWithout = (type: DocumentType): LotDocument[] => fullPapers().filter((d) => d.type !== type);

/** The route of the fixture journey, as the lot's state records it when it sits at the retail store. */
const JOURNEY_ROUTE: RouteStop[] = [
  { facilityId: PORT.id, facilityType: 'PORT_OF_ENTRY', arrivedAt: iso(0), departedAt: iso(2) },
  { facilityId: WAREHOUSE.id, facilityType: 'CENTRAL_WAREHOUSE', arrivedAt: iso(3), departedAt: iso(4) },
  { facilityId: MARKET.id, facilityType: 'WHOLESALE_MARKET', arrivedAt: iso(5), departedAt: iso(6) },
  { facilityId: STORE.id, facilityType: 'RETAIL_STORE', arrivedAt: iso(7), departedAt: null },
];

const lotSplitEvent = (children: LotPortion[], facilityId: string, occurredAt: string, splitId = 'SPLIT-1'): LotEvent => ({
  type: 'LotSplit',
  schemaVersion: 1,
  data: { splitId, children, facilityId, occurredAt },
});

/** The only child of splitting `parent` into one portion of `quantity` (code C1) at `hour`. */
const onlyChild = (parent: LotHistory, quantity: number, hour: number): LotHistory => {
  const [child] = splitInto(parent, splitLot([{ traceCode: C1, quantity }], iso(hour)), at(hour)).children;
  return child;
};

describe('SplitLot', () => {
  it('takes the portions out of the parent where it is held: LotSplit with the children, times normalised', () => {
    when(atWarehouse())
      .when(
        splitLot(
          [
            { traceCode: C1, quantity: 30 },
            { traceCode: C2, quantity: 20.5 },
          ],
          '2022-04-01T12:00:00+08:00',
        ),
        at(4),
      )
      .then([
        lotSplitEvent(
          [
            { traceCode: C1, quantity: 30 },
            { traceCode: C2, quantity: 20.5 },
          ],
          WAREHOUSE.id,
          iso(4),
        ),
      ]);
  });

  it('leaves the parent where it is, with what remains and its children recorded', () => {
    const { parent } = splitInto(
      atWarehouse(),
      splitLot(
        [
          { traceCode: C1, quantity: 30 },
          { traceCode: C2, quantity: 20.5 },
        ],
        iso(4),
      ),
      at(4),
    );
    const before = atWarehouse().state;
    const state = parent.state;
    expect(state.quantity).toEqual({ initial: 100, remaining: 49.5, unit: 'KG' });
    expect(state.children).toEqual([
      { traceCode: C1, quantity: 30 },
      { traceCode: C2, quantity: 20.5 },
    ]);
    expect(state.custody).toEqual(before.custody);
    expect(state.route).toEqual(before.route);
    expect(state.lastActivityAt).toBe(iso(4));
    expect(lotStatus(state)).toBe('HELD');
  });

  describe('conserves quantity', () => {
    it('children that together take more than remains: QUANTITY_EXCEEDS_REMAINING', () => {
      const error = when(atWarehouse())
        .when(
          splitLot(
            [
              { traceCode: C1, quantity: 60 },
              { traceCode: C2, quantity: 40.001 },
            ],
            iso(4),
          ),
          at(4),
        )
        .thenThrows('QUANTITY_EXCEEDS_REMAINING', { remaining: 100 });
      expect(error.kind).toBe('rule');
    });

    it('counts only what remains after earlier splits', () => {
      const once = splitInto(atWarehouse(), splitLot([{ traceCode: C1, quantity: 30 }], iso(4)), at(4)).parent;
      when(once)
        .when(splitLot([{ traceCode: C2, quantity: 70.001 }], iso(5), 'SPLIT-2'), at(5))
        .thenThrows('QUANTITY_EXCEEDS_REMAINING', { remaining: 70 });
      when(once)
        .when(splitLot([{ traceCode: C2, quantity: 70 }], iso(5), 'SPLIT-2'), at(5))
        .then([lotSplitEvent([{ traceCode: C2, quantity: 70 }], WAREHOUSE.id, iso(5), 'SPLIT-2')]);
    });

    it('exactly what remains is allowed and leaves nothing', () => {
      const children = [
        { traceCode: C1, quantity: 60 },
        { traceCode: C2, quantity: 40 },
      ];
      when(atWarehouse()).when(splitLot(children, iso(4)), at(4)).then([lotSplitEvent(children, WAREHOUSE.id, iso(4))]);
      const { parent } = splitInto(atWarehouse(), splitLot(children, iso(4)), at(4));
      expect(parent.state.quantity).toEqual({ initial: 100, remaining: 0, unit: 'KG' });
      expect(lotStatus(parent.state)).toBe('SOLD_OUT');
      when(parent).when(splitLot([{ traceCode: 'CT-MORE', quantity: 0.001 }], iso(5), 'SPLIT-2'), at(5)).thenThrows('QUANTITY_EXCEEDS_REMAINING', {
        remaining: 0,
      });
      when(parent).when(scan('DISPATCH', WAREHOUSE, iso(5), { to: MARKET, vehicle: truck() }), at(5)).thenThrows('QUANTITY_EXHAUSTED');
    });

    it('gram portions that add up to exactly what remains are allowed and leave nothing', () => {
      const children = [
        { traceCode: C1, quantity: 33.333 },
        { traceCode: C2, quantity: 33.333 },
        { traceCode: 'CT-2022-0001-C', quantity: 33.334 },
      ];
      when(atWarehouse()).when(splitLot(children, iso(4)), at(4)).then([lotSplitEvent(children, WAREHOUSE.id, iso(4))]);
      const remaining = splitInto(atWarehouse(), splitLot(children, iso(4)), at(4)).parent.state.quantity?.remaining;
      // exactly zero (the sign of a float zero aside)
      expect(remaining === undefined ? undefined : Math.abs(remaining)).toBe(0);
    });
  });

  describe('refusals', () => {
    it('no children at all: VALIDATION_FAILED', () => {
      when(atWarehouse()).when(splitLot([], iso(4)), at(4)).thenThrows('VALIDATION_FAILED', { field: 'children' });
    });

    it('two children with the same trace code: VALIDATION_FAILED', () => {
      const error = when(atWarehouse())
        .when(
          splitLot(
            [
              { traceCode: C1, quantity: 10 },
              { traceCode: C1, quantity: 5 },
            ],
            iso(4),
          ),
          at(4),
        )
        .thenThrows('VALIDATION_FAILED', { field: 'children' });
      expect(error.kind).toBe('invalid');
    });

    it("a child with the parent's own trace code: VALIDATION_FAILED", () => {
      when(atWarehouse())
        .when(splitLot([{ traceCode: PARENT, quantity: 10 }], iso(4)), at(4))
        .thenThrows('VALIDATION_FAILED', { field: 'children' });
    });

    it.each([
      ['a fractional CARTON', 2.5, 'CARTON' as const],
      ['a fractional PIECE', 0.5, 'PIECE' as const],
      ['zero', 0, 'CARTON' as const],
      ['a negative amount', -1, 'CARTON' as const],
      ['finer than a gram', 1.0005, 'KG' as const],
    ])('a child of %s: INVALID_QUANTITY', (_what, quantity, unit) => {
      const lot = atWarehouse(withPapers(lotHistory().run(registerLot({ quantity: { amount: 10, unit } }), at(0)), fullPapers(), 1));
      when(lot)
        .when(
          splitLot(
            [
              { traceCode: C1, quantity: 1 },
              { traceCode: C2, quantity },
            ],
            iso(4),
          ),
          at(4),
        )
        .thenThrows('INVALID_QUANTITY', { field: 'children.quantity' });
    });

    it('whole cartons are fine', () => {
      const cartons = atWarehouse(withPapers(lotHistory().run(registerLot({ quantity: { amount: 10, unit: 'CARTON' } }), at(0)), fullPapers(), 1));
      when(cartons)
        .when(splitLot([{ traceCode: C1, quantity: 4 }], iso(4)), at(4))
        .then([lotSplitEvent([{ traceCode: C1, quantity: 4 }], WAREHOUSE.id, iso(4))]);
    });

    it('a lot in transit: LOT_IN_TRANSIT', () => {
      const inTransit = papered().run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, vehicle: truck() }), at(2));
      const error = when(inTransit).when(splitLot([{ traceCode: C1, quantity: 10 }], iso(3)), at(3)).thenThrows('LOT_IN_TRANSIT');
      expect(error.kind).toBe('rule');
    });

    it('a destroyed lot: LOT_DESTROYED', () => {
      const error = when(atWarehouse().run(destroy(), at(4)))
        .when(splitLot([{ traceCode: C1, quantity: 10 }], iso(5)), at(5))
        .thenThrows('LOT_DESTROYED');
      expect(error.kind).toBe('rule');
    });

    it('a lot that was never registered: LOT_NOT_FOUND', () => {
      const error = given(lotDecider).when(splitLot([{ traceCode: C1, quantity: 10 }], iso(1)), at(1)).thenThrows('LOT_NOT_FOUND');
      expect(error.kind).toBe('not_found');
    });

    it('an unreadable or future time: VALIDATION_FAILED', () => {
      when(atWarehouse()).when(splitLot([{ traceCode: C1, quantity: 10 }], 'after lunch'), at(4)).thenThrows('VALIDATION_FAILED', { field: 'occurredAt' });
      when(atWarehouse()).when(splitLot([{ traceCode: C1, quantity: 10 }], iso(5)), at(4)).thenThrows('VALIDATION_FAILED', { field: 'occurredAt' });
    });
  });
});

describe('deriveSplitChildren', () => {
  it('gives each child a LotDerived carrying what it inherits from the parent', () => {
    const parent = sellable();
    const split = {
      splitId: 'SPLIT-1',
      children: [
        { traceCode: C1, quantity: 40 },
        { traceCode: C2, quantity: 60 },
      ],
      facilityId: STORE.id,
      occurredAt: iso(9),
    };
    const derived = (traceCode: string, quantity: number): LotDerived => ({
      type: 'LotDerived',
      schemaVersion: 3,
      data: {
        kind: 'SPLIT',
        operationId: 'SPLIT-1',
        traceCode,
        parents: [{ traceCode: PARENT, quantity }],
        product: { name: 'Frozen beef brisket', category: 'FROZEN' },
        originCountries: ['BR'],
        importers: ['Harbour Foods Ltd'],
        quantity: { amount: quantity, unit: 'KG' },
        portOfEntryId: PORT.id,
        enteredAt: iso(0),
        custody: { facilityId: STORE.id, facilityType: 'RETAIL_STORE', zoneId: 'rs-sales', zoneKind: 'DEDICATED_SALES', since: iso(9) },
        route: JOURNEY_ROUTE,
        passedCentralWarehouse: true,
        paperLines: [{ from: null, documents: fullPapers() }],
        violations: [],
        ancestorLocks: [],
        recalls: [],
        temperatureFindings: [],
        occurredAt: iso(9),
      },
    });
    expect(deriveSplitChildren(deepFreeze(parent.state), deepFreeze(split))).toStrictEqual([derived(C1, 40), derived(C2, 60)]);
  });

  it('a child starts as a lot of its own: registered, held where the parent is, with the parent named', () => {
    const child = onlyChild(sellable(), 40, 9).state;
    expect(child.registered).toBe(true);
    expect(child.traceCode).toBe(C1);
    expect(child.quantity).toEqual({ initial: 40, remaining: 40, unit: 'KG' });
    expect(child.custody).toEqual({ facilityId: STORE.id, facilityType: 'RETAIL_STORE', zoneId: 'rs-sales', zoneKind: 'DEDICATED_SALES', since: iso(9) });
    expect(child.route).toEqual(JOURNEY_ROUTE);
    expect(child.parents).toEqual([{ traceCode: PARENT, quantity: 40 }]);
    expect(child.documents).toEqual([]);
    expect(child.inheritedPaperLines).toEqual([{ from: null, documents: fullPapers() }]);
    expect(child.lock).toBeNull();
    expect(lotStatus(child)).toBe('HELD');
  });

  it('inherits violations, recalls and passedCentralWarehouse; the parent own lock becomes an ancestor lock naming the parent', () => {
    const parent = papered()
      .run(scan('DISPATCH', PORT, iso(2), { to: MARKET, vehicle: truck() }), at(2))
      .run(scan('RECEIVE', MARKET, iso(3), { zoneId: 'wm-intake' }), at(3)) // bypassed the central warehouse
      .run(recall(), at(4))
      .run(lockThrough('CT-GRANDPARENT', 'grandparent tested positive'), at(5))
      .run(lock('regulator hold'), at(5));
    const { children } = splitInto(parent, splitLot([{ traceCode: C1, quantity: 10 }], iso(6)), at(6));
    const [derived] = children[0].events;
    if (derived.type !== 'LotDerived') throw new Error(`expected LotDerived, got ${derived.type}`);
    expect(derived.data.passedCentralWarehouse).toBe(false);
    const bypassScan = `scan-receive-${MARKET.id}-${iso(3)}`;
    expect(derived.data.violations).toEqual([
      {
        id: `${bypassScan}.CENTRAL_WAREHOUSE_BYPASSED`,
        kind: 'CENTRAL_WAREHOUSE_BYPASSED',
        scanId: bypassScan,
        facilityId: MARKET.id,
        message: 'reached WHOLESALE_MARKET wm-1 without passing a central warehouse',
        occurredAt: iso(3),
        status: 'OPEN',
        resolution: null,
      },
    ]);
    expect(derived.data.recalls).toEqual([
      { recallId: 'RC-1', origin: PARENT, reason: 'positive sample on the packaging', source: 'REGULATOR', recalledAt: iso(4) },
    ]);
    expect(derived.data.ancestorLocks).toEqual([
      { ancestor: 'CT-GRANDPARENT', reason: 'grandparent tested positive', lockedAt: iso(5) },
      { ancestor: PARENT, reason: 'regulator hold', lockedAt: iso(5) },
    ]);

    const child = children[0].state;
    expect(child.lock).toBeNull();
    expect(lotStatus(child)).toBe('RECALLED');
    expect(lockReasons(child)).toEqual([
      { code: 'LOT_LOCKED', message: `locked through ancestor CT-GRANDPARENT at ${iso(5)}: grandparent tested positive` },
      { code: 'LOT_LOCKED', message: `locked through ancestor ${PARENT} at ${iso(5)}: regulator hold` },
      {
        code: 'LOT_RECALLED',
        message: `recalled (recall RC-1, REGULATOR) at ${iso(4)} because of lot ${PARENT}: positive sample on the packaging`,
      },
    ]);
    const error = when(children[0]).when(scan('DISPATCH', MARKET, iso(7), { to: STORE, vehicle: truck() }), at(7)).thenThrows('TRADE_BLOCKED');
    expect(reasonCodesOf(error)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED', 'LOT_LOCKED', 'LOT_LOCKED', 'LOT_RECALLED']);
  });

  it('the lock and recall fan-out reaching a child that already inherited them decides nothing', () => {
    const parent = atWarehouse().run(recall(), at(4)).run(lock('regulator hold'), at(4));
    const child = onlyChild(parent, 10, 5);
    when(child).when(recall(), at(6)).then([]);
    when(child).when(lockThrough(PARENT, 'regulator hold'), at(6)).then([]);
  });

  it("lifting the parent's lock reaches the child as an ancestor unlock; the grandparent's lock stays", () => {
    const parent = atWarehouse().run(lockThrough('CT-GRANDPARENT'), at(4)).run(lock('regulator hold'), at(4));
    const child = onlyChild(parent, 10, 5);
    const released = child.run(unlockThrough(PARENT, 'hold lifted'), at(6));
    expect(released.state.ancestorLocks).toEqual([{ ancestor: 'CT-GRANDPARENT', reason: 'lot CT-GRANDPARENT is locked', lockedAt: iso(4) }]);
    // the parent's own unlock does not touch the child's stream
    expect(parent.run(unlock(), at(6)).state.lock).toBeNull();
  });

  it('a grandchild carries every lock of the line', () => {
    const parent = atWarehouse().run(lock('regulator hold'), at(4));
    const child = onlyChild(parent, 10, 5);
    const [grandchild] = splitInto(child, splitLot([{ traceCode: 'CT-GRANDCHILD', quantity: 4 }], iso(6)), at(6)).children;
    expect(grandchild.state.ancestorLocks).toEqual([{ ancestor: PARENT, reason: 'regulator hold', lockedAt: iso(4) }]);
    expect(grandchild.state.parents).toEqual([{ traceCode: C1, quantity: 4 }]);
  });

  it("a child of a fully papered lot in a retail store's dedicated sales zone is sale-allowed, and sells", () => {
    const { parent, children } = splitInto(
      sellable(),
      splitLot(
        [
          { traceCode: C1, quantity: 40 },
          { traceCode: C2, quantity: 25 },
        ],
        iso(9),
      ),
      at(9),
    );
    for (const child of children) expect(saleEligibility(child.state, at(10))).toEqual({ allowed: true, reasons: [] });
    expect(saleEligibility(parent.state, at(10))).toEqual({ allowed: true, reasons: [] });
    // the inherited papers expire with the parent's
    expect(eligibilityLapsesAt(children[0].state)).toBe(eligibilityLapsesAt(parent.state));
    when(children[0])
      .when(scan('SELL', STORE, iso(10), { scanId: 'c-sell', zoneId: 'rs-sales', quantity: 40 }), at(10))
      .then([{ type: 'LotSold', schemaVersion: 1, data: { ...scanFacts('c-sell', STORE, 'rs-sales', 'DEDICATED_SALES', iso(10)), quantity: 40 } }]);
    // a child cannot sell more than its own portion
    const error = when(children[1]).when(scan('SELL', STORE, iso(10), { zoneId: 'rs-sales', quantity: 25.001 }), at(10)).thenThrows('SALE_BLOCKED');
    expect(reasonCodesOf(error)).toEqual(['QUANTITY_EXHAUSTED']);
  });

  it('a child of a lot with a paper missing is blocked for that paper, until the child gets it', () => {
    const parent = atWarehouse(withPapers(registered(), papersWithout('CUSTOMS_DECLARATION'), 1));
    const child = onlyChild(parent, 10, 4);
    expect(tradeBlockers(child.state, at(5))).toEqual([
      { code: 'CUSTOMS_DECLARATION_MISSING', message: 'no customs declaration is on file for this lot' },
    ]);
    expect(saleEligibility(child.state, at(5))).toEqual({
      allowed: false,
      reasons: [
        { code: 'CUSTOMS_DECLARATION_MISSING', message: 'no customs declaration is on file for this lot' },
        { code: 'NOT_AT_RETAIL_STORE', message: 'the lot is held by CENTRAL_WAREHOUSE cw-1' },
        { code: 'NOT_IN_DEDICATED_SALES_ZONE', message: 'the lot is in a DEDICATED_INTAKE zone' },
      ],
    });
    const error = when(child).when(scan('DISPATCH', WAREHOUSE, iso(5), { to: MARKET, vehicle: truck() }), at(5)).thenThrows('TRADE_BLOCKED');
    expect(reasonCodesOf(error)).toEqual(['CUSTOMS_DECLARATION_MISSING']);

    const completed = child.run(attach(customsDeclaration()), at(5));
    expect(tradeBlockers(completed.state, at(5))).toEqual([]);
  });

  it('a child of a lot with a POSITIVE test inherits the result and the lock', () => {
    const parent = atWarehouse().run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-002', issuedAt: iso(3) })), at(3));
    const child = onlyChild(parent, 10, 4);
    expect(tradeBlockers(child.state, at(4)).map((r) => r.code)).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED']);
    expect(child.state.ancestorLocks).toEqual([{ ancestor: PARENT, reason: 'nucleic-acid test NAT-002 is POSITIVE', lockedAt: iso(3) }]);
  });
});

describe('decideMerge', () => {
  /** The second lot, through the whole fixture journey: sale-allowed at the retail store. */
  const other = (documents: readonly LotDocument[] = fullPapers()): LotHistory =>
    journey(withPapers(registeredAs(OTHER, { originCountry: 'ar', importer: 'Quay Imports', enteredAt: iso(-2) }), documents, 1));
  const merge = (parents: readonly (readonly [LotHistory, number, string?])[], facility = STORE, hour = 9, into: LotState = initialLotState()): MergeDecision =>
    decideMerge(deepFreeze(mergeInput(MERGED, facility, iso(hour), parents)), deepFreeze(into), at(hour));
  const mergedLot = (decision: MergeDecision): LotHistory => lotHistory(decision.child);
  const refusal = (parents: readonly (readonly [LotHistory, number, string?])[], facility = STORE, hour = 9, into: LotState = initialLotState()) =>
    domainErrorOf(() => merge(parents, facility, hour, into));

  it('repacks portions of lots held at one facility: LotMerged on each parent and the LotDerived of the new lot', () => {
    const lotMerged = (quantity: number): LotMerged => ({
      type: 'LotMerged',
      schemaVersion: 1,
      data: { mergeId: 'MERGE-1', intoTraceCode: MERGED, quantity, facilityId: STORE.id, occurredAt: iso(9) },
    });
    const decision = decideMerge(
      deepFreeze(mergeInput(MERGED, STORE, '2022-04-01T17:00:00+08:00', [[sellable(), 40], [other(), 60.5]])),
      deepFreeze(initialLotState()),
      at(9),
    );
    expect(decision).toStrictEqual({
      parents: [
        { traceCode: PARENT, events: [lotMerged(40)] },
        { traceCode: OTHER, events: [lotMerged(60.5)] },
      ],
      child: [
        {
          type: 'LotDerived',
          schemaVersion: 3,
          data: {
            kind: 'MERGE',
            operationId: 'MERGE-1',
            traceCode: MERGED,
            parents: [
              { traceCode: PARENT, quantity: 40 },
              { traceCode: OTHER, quantity: 60.5 },
            ],
            product: { name: 'Frozen beef brisket', category: 'FROZEN' },
            originCountries: ['BR', 'AR'],
            importers: ['Harbour Foods Ltd', 'Quay Imports'],
            quantity: { amount: 100.5, unit: 'KG' },
            portOfEntryId: PORT.id,
            enteredAt: iso(-2),
            custody: { facilityId: STORE.id, facilityType: 'RETAIL_STORE', zoneId: 'rs-sales', zoneKind: 'DEDICATED_SALES', since: iso(9) },
            route: [{ facilityId: STORE.id, facilityType: 'RETAIL_STORE', arrivedAt: iso(9), departedAt: null }],
            passedCentralWarehouse: true,
            paperLines: [
              { from: PARENT, documents: fullPapers() },
              { from: OTHER, documents: fullPapers() },
            ],
            violations: [],
            ancestorLocks: [],
            recalls: [],
            temperatureFindings: [],
            occurredAt: iso(9),
          },
        },
      ],
    });
  });

  it('the parents keep what is left and name the new lot as a child; the new lot is sale-allowed and sells', () => {
    const decision = merge([
      [sellable(), 40],
      [other(), 60.5],
    ]);
    const parentA = sellable().append(decision.parents[0].events).state;
    const parentB = other().append(decision.parents[1].events).state;
    expect(parentA.quantity).toEqual({ initial: 100, remaining: 60, unit: 'KG' });
    expect(parentA.children).toEqual([{ traceCode: MERGED, quantity: 40 }]);
    expect(parentB.quantity).toEqual({ initial: 100, remaining: 39.5, unit: 'KG' });

    const merged = mergedLot(decision);
    expect(merged.state.parents).toEqual([
      { traceCode: PARENT, quantity: 40 },
      { traceCode: OTHER, quantity: 60.5 },
    ]);
    expect(merged.state.quantity).toEqual({ initial: 100.5, remaining: 100.5, unit: 'KG' });
    expect(saleEligibility(merged.state, at(10))).toEqual({ allowed: true, reasons: [] });
    when(merged)
      .when(scan('SELL', STORE, iso(10), { scanId: 'm-sell', zoneId: 'rs-sales', quantity: 100.5 }), at(10))
      .then([{ type: 'LotSold', schemaVersion: 1, data: { ...scanFacts('m-sell', STORE, 'rs-sales', 'DEDICATED_SALES', iso(10)), quantity: 100.5 } }]);
  });

  it('adds the portions to the gram', () => {
    const [derived] = merge([
      [sellable(), 0.1],
      [other(), 0.2],
    ]).child;
    if (derived.type !== 'LotDerived') throw new Error(`expected LotDerived, got ${derived.type}`);
    expect(derived.data.quantity).toEqual({ amount: 0.3, unit: 'KG' });
  });

  it('parents in different zones of the facility: the new lot has no zone until it is stored', () => {
    const merged = mergedLot(
      merge([
        [sellable(), 10],
        [atStoreIntake(atMarket(atWarehouse(withPapers(registeredAs(OTHER), fullPapers(), 1)))), 10],
      ]),
    );
    expect(merged.state.custody).toEqual({ facilityId: STORE.id, facilityType: 'RETAIL_STORE', zoneId: null, zoneKind: null, since: iso(9) });
    expect(saleEligibility(merged.state, at(10)).reasons.map((r) => r.code)).toEqual(['NOT_IN_DEDICATED_SALES_ZONE']);
  });

  describe('refusals', () => {
    it('a trace code that is already registered: LOT_EXISTS', () => {
      const error = refusal(
        [
          [sellable(), 10],
          [other(), 10],
        ],
        STORE,
        9,
        registeredAs(MERGED).state,
      );
      expect(error.code).toBe('LOT_EXISTS');
      expect(error.kind).toBe('conflict');
      expect(error.details).toEqual({ traceCode: MERGED });
    });

    it.each<[string, number]>([
      ['no parent', 0],
      ['a single parent', 1],
    ])('%s: VALIDATION_FAILED', (_what, count) => {
      const error = refusal(count === 0 ? [] : [[sellable(), 10]]);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.kind).toBe('invalid');
      expect(error.details).toEqual({ field: 'parents' });
    });

    it('the same parent twice: VALIDATION_FAILED', () => {
      const error = refusal([
        [sellable(), 10],
        [other(), 10],
        [sellable(), 5],
      ]);
      expect([error.code, error.details]).toEqual(['VALIDATION_FAILED', { field: 'parents' }]);
      expect(error.message).toBe(`${PARENT} appears twice in this merge`);
    });

    it('the new trace code among the parents: VALIDATION_FAILED', () => {
      const error = refusal([
        [sellable(), 10],
        [lotHistory(), 10, MERGED],
      ]);
      expect([error.code, error.details]).toEqual(['VALIDATION_FAILED', { field: 'parents' }]);
    });

    it('a parent that was never registered: LOT_NOT_FOUND', () => {
      const error = refusal([
        [sellable(), 10],
        [lotHistory(), 10, 'CT-NOWHERE'],
      ]);
      expect([error.code, error.kind, error.details]).toEqual(['LOT_NOT_FOUND', 'not_found', { traceCode: 'CT-NOWHERE' }]);
    });

    it('a destroyed parent: LOT_DESTROYED', () => {
      const error = refusal([
        [sellable(), 10],
        [other().run(destroy(), at(8)), 10],
      ]);
      expect([error.code, error.kind, error.details]).toEqual(['LOT_DESTROYED', 'rule', { traceCode: OTHER }]);
    });

    it.each<[string, () => LotHistory]>([
      ['held by another facility', () => atMarket(atWarehouse(withPapers(registeredAs(OTHER), fullPapers(), 1)))],
      [
        'in transit to this facility',
        () => atMarket(atWarehouse(withPapers(registeredAs(OTHER), fullPapers(), 1))).run(scan('DISPATCH', MARKET, iso(6), { to: STORE, vehicle: truck() }), at(6)),
      ],
    ])('a parent %s: LOT_NOT_AT_FACILITY', (_where, parent) => {
      const error = refusal([
        [sellable(), 10],
        [parent(), 10],
      ]);
      expect([error.code, error.kind, error.details]).toEqual(['LOT_NOT_AT_FACILITY', 'rule', { traceCode: OTHER }]);
    });

    it('parents counted in different units: UNIT_MISMATCH', () => {
      const cartons = journey(withPapers(registeredAs(OTHER, { quantity: { amount: 20, unit: 'CARTON' } }), fullPapers(), 1));
      const error = refusal([
        [sellable(), 10],
        [cartons, 10],
      ]);
      expect([error.code, error.kind]).toEqual(['UNIT_MISMATCH', 'rule']);
      expect(error.message).toBe(`lot ${OTHER} is counted in CARTON, not KG`);
    });

    it.each([
      ['another product', { name: 'Frozen pork belly', category: 'FROZEN' as const }],
      ['the same name in another category', { name: 'Frozen beef brisket', category: 'CHILLED' as const }],
      ['the same name and category under a GTIN (the other has none)', { name: 'Frozen beef brisket', category: 'FROZEN' as const, gtin: '09506000134352' }],
    ])('a parent holding %s: PRODUCT_MISMATCH', (_what, product) => {
      const error = refusal([
        [sellable(), 10],
        [journey(withPapers(registeredAs(OTHER, { product }), fullPapers(), 1)), 10],
      ]);
      expect([error.code, error.kind]).toEqual(['PRODUCT_MISMATCH', 'rule']);
    });

    it.each([0, -1, 1.0005, Number.NaN])('a portion of %s: INVALID_QUANTITY', (quantity) => {
      const error = refusal([
        [sellable(), 10],
        [other(), quantity],
      ]);
      expect([error.code, error.kind, error.details]).toEqual(['INVALID_QUANTITY', 'invalid', { field: 'parents.quantity' }]);
    });

    it('a fractional portion of a counted parent: INVALID_QUANTITY', () => {
      const cartons = (code: string) => journey(withPapers(registeredAs(code, { quantity: { amount: 20, unit: 'CARTON' } }), fullPapers(), 1));
      const error = refusal([
        [cartons(PARENT), 2],
        [cartons(OTHER), 2.5],
      ]);
      expect([error.code, error.details]).toEqual(['INVALID_QUANTITY', { field: 'parents.quantity' }]);
    });

    it('a portion larger than what remains of its parent: QUANTITY_EXCEEDS_REMAINING', () => {
      const error = refusal([
        [sellable(), 10],
        [other(), 100.001],
      ]);
      expect([error.code, error.kind, error.details]).toEqual(['QUANTITY_EXCEEDS_REMAINING', 'rule', { traceCode: OTHER, remaining: 100 }]);
      const partlySold = sellable().run(scan('SELL', STORE, iso(8.5), { quantity: 30 }), at(8.5));
      expect(
        refusal([
          [partlySold, 70.001],
          [other(), 10],
        ]).details,
      ).toEqual({ traceCode: PARENT, remaining: 70 });
      expect(
        merge([
          [partlySold, 70],
          [other(), 100],
        ]).child,
      ).toHaveLength(1);
    });

    it('an unreadable or future time: VALIDATION_FAILED', () => {
      const parents: [LotHistory, number][] = [
        [sellable(), 10],
        [other(), 10],
      ];
      const unreadable = domainErrorOf(() => decideMerge(mergeInput(MERGED, STORE, 'at dusk', parents), initialLotState(), at(9)));
      expect([unreadable.code, unreadable.details]).toEqual(['VALIDATION_FAILED', { field: 'occurredAt' }]);
      const future = domainErrorOf(() => decideMerge(mergeInput(MERGED, STORE, iso(10), parents), initialLotState(), at(9)));
      expect([future.code, future.details]).toEqual(['VALIDATION_FAILED', { field: 'occurredAt' }]);
    });
  });

  describe('papers: one line per parent, every line must be complete', () => {
    const atWarehouseAs = (traceCode: string, documents: readonly LotDocument[]): LotHistory =>
      atWarehouse(withPapers(registeredAs(traceCode), documents, 1));
    const mergedAtWarehouse = (a: readonly LotDocument[], b: readonly LotDocument[]): LotHistory =>
      mergedLot(
        merge(
          [
            [atWarehouseAs(PARENT, a), 50],
            [atWarehouseAs(OTHER, b), 50],
          ],
          WAREHOUSE,
          4,
        ),
      );

    it('a parent lacking a paper blocks the merged lot, naming that parent, although the other parent has it', () => {
      const merged = mergedAtWarehouse(fullPapers(), papersWithout('CUSTOMS_DECLARATION'));
      expect(tradeBlockers(merged.state, at(5))).toEqual([
        { code: 'CUSTOMS_DECLARATION_MISSING', message: `via parent ${OTHER}: no customs declaration is on file for this lot` },
      ]);
      const error = when(merged).when(scan('DISPATCH', WAREHOUSE, iso(5), { to: MARKET, vehicle: truck() }), at(5)).thenThrows('TRADE_BLOCKED');
      expect(error.details?.['reasons']).toEqual([
        { code: 'CUSTOMS_DECLARATION_MISSING', message: `via parent ${OTHER}: no customs declaration is on file for this lot` },
      ]);
    });

    it('each parent lacking a paper is named', () => {
      const merged = mergedAtWarehouse(papersWithout('DISINFECTION'), papersWithout('INSPECTION_QUARANTINE'));
      expect(tradeBlockers(merged.state, at(5))).toEqual([
        { code: 'DISINFECTION_CERTIFICATE_MISSING', message: `via parent ${PARENT}: no disinfection certificate is on file for this lot` },
        { code: 'INSPECTION_CERTIFICATE_MISSING', message: `via parent ${OTHER}: no inspection-and-quarantine certificate is on file for this lot` },
      ]);
    });

    it('a POSITIVE test of one parent blocks the merged lot, naming that parent', () => {
      const positive = atWarehouseAs(OTHER, fullPapers()).run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-009', issuedAt: iso(3) })), at(3.5));
      const merged = mergedLot(
        merge(
          [
            [atWarehouseAs(PARENT, fullPapers()), 50],
            [positive, 50],
          ],
          WAREHOUSE,
          4,
        ),
      );
      expect(tradeBlockers(merged.state, at(5))).toEqual([
        { code: 'NUCLEIC_ACID_TEST_POSITIVE', message: `via parent ${OTHER}: nucleic-acid test NAT-009 (issued ${iso(3)} by CDC lab) is POSITIVE` },
        { code: 'LOT_LOCKED', message: `locked through ancestor ${OTHER} at ${iso(3.5)}: nucleic-acid test NAT-009 is POSITIVE` },
      ]);
    });

    it('is allowed to trade when every parent line is complete', () => {
      const merged = mergedAtWarehouse(fullPapers(), fullPapers());
      expect(tradeBlockers(merged.state, at(5))).toEqual([]);
      when(merged)
        .when(scan('DISPATCH', WAREHOUSE, iso(5), { scanId: 'm-out', to: MARKET, vehicle: truck() }), at(5))
        .then([
          {
            type: 'LotDispatched',
            schemaVersion: 1,
            data: {
              ...scanFacts('m-out', WAREHOUSE, null, null, iso(5)),
              toFacilityId: MARKET.id,
              toFacilityType: 'WHOLESALE_MARKET',
              vehicle: truck(),
              quantity: 100,
            },
          },
        ]);
    });

    it("lapses with the earliest expiry on any parent's line", () => {
      const shortLived = fullPapers().map((d) => (d.type === 'NUCLEIC_ACID_TEST' ? { ...d, validUntil: iso(3 * DAY) } : d));
      const merged = mergedAtWarehouse(fullPapers(), shortLived);
      expect(eligibilityLapsesAt(merged.state)).toBe(iso(3 * DAY));
      expect(tradeBlockers(merged.state, at(3 * DAY))).toEqual([
        { code: 'CERTIFICATE_EXPIRED', message: `via parent ${OTHER}: nucleic-acid test certificate NAT-001 expired at ${iso(3 * DAY)}` },
      ]);
    });

    it("a paper attached to the merged lot itself completes every parent's line", () => {
      const merged = mergedAtWarehouse(papersWithout('CUSTOMS_DECLARATION'), papersWithout('CUSTOMS_DECLARATION'));
      expect(tradeBlockers(merged.state, at(5)).map((r) => r.code)).toEqual(['CUSTOMS_DECLARATION_MISSING', 'CUSTOMS_DECLARATION_MISSING']);
      expect(tradeBlockers(merged.run(attach(customsDeclaration({ number: 'CD-M' })), at(5)).state, at(5))).toEqual([]);
    });
  });

  describe('blocking facts of any parent carry into the merged lot', () => {
    it("a parent's own lock becomes an ancestor lock naming it, its inherited locks carry too", () => {
      const merged = mergedLot(
        merge([
          [sellable().run(lock('regulator hold'), at(8.5)), 10],
          [other().run(lockThrough('CT-GRANDPARENT', 'grandparent tested positive'), at(8.5)), 10],
        ]),
      );
      expect(merged.state.lock).toBeNull();
      expect(merged.state.ancestorLocks).toEqual([
        { ancestor: PARENT, reason: 'regulator hold', lockedAt: iso(8.5) },
        { ancestor: 'CT-GRANDPARENT', reason: 'grandparent tested positive', lockedAt: iso(8.5) },
      ]);
      expect(saleEligibility(merged.state, at(10)).reasons).toEqual([
        { code: 'LOT_LOCKED', message: `locked through ancestor ${PARENT} at ${iso(8.5)}: regulator hold` },
        { code: 'LOT_LOCKED', message: `locked through ancestor CT-GRANDPARENT at ${iso(8.5)}: grandparent tested positive` },
      ]);
      expect(lotStatus(merged.state)).toBe('LOCKED');
    });

    it("a parent's recall carries into the merged lot", () => {
      const merged = mergedLot(
        merge([
          [sellable(), 10],
          [other().run(recall({ recallId: 'RC-7', origin: 'CT-ORIGIN', reason: 'batch tested positive', source: 'POSITIVE_TEST' }), at(8.5)), 10],
        ]),
      );
      expect(merged.state.recalls).toEqual([
        { recallId: 'RC-7', origin: 'CT-ORIGIN', reason: 'batch tested positive', source: 'POSITIVE_TEST', recalledAt: iso(8.5) },
      ]);
      expect(saleEligibility(merged.state, at(10)).reasons).toEqual([
        { code: 'LOT_RECALLED', message: `recalled (recall RC-7, POSITIVE_TEST) at ${iso(8.5)} because of lot CT-ORIGIN: batch tested positive` },
      ]);
      expect(lotStatus(merged.state)).toBe('RECALLED');
    });

    it('one recall that reached both parents is carried once', () => {
      const merged = mergedLot(
        merge([
          [sellable().run(recall(), at(8.5)), 10],
          [other().run(recall(), at(8.5)), 10],
        ]),
      );
      expect(merged.state.recalls.map((r) => r.recallId)).toEqual(['RC-1']);
    });

    it('one ancestor lock that reached both parents is carried once', () => {
      // Two children of one locked lot, repacked together: the merged lot is locked through that lot once,
      // as LockLot keeps one lock per ancestor (a repeated ancestor lock is a no-op) and recalls are de-duplicated.
      const locked = sellable().run(lock('regulator hold'), at(8.5));
      const { children } = splitInto(
        locked,
        splitLot(
          [
            { traceCode: C1, quantity: 10 },
            { traceCode: C2, quantity: 10 },
          ],
          iso(9),
        ),
        at(9),
      );
      const merged = mergedLot(
        merge(
          [
            [children[0], 10],
            [children[1], 10],
          ],
          STORE,
          10,
        ),
      );
      expect(merged.state.ancestorLocks).toEqual([{ ancestor: PARENT, reason: 'regulator hold', lockedAt: iso(8.5) }]);
      expect(lockReasons(merged.state)).toEqual([{ code: 'LOT_LOCKED', message: `locked through ancestor ${PARENT} at ${iso(8.5)}: regulator hold` }]);
    });

    it("a parent's trace violation carries, prefixed with the parent", () => {
      const otherBypassed = withPapers(registeredAs(OTHER), fullPapers(), 1)
        .run(scan('DISPATCH', PORT, iso(2), { to: MARKET, vehicle: truck() }), at(2))
        .run(scan('RECEIVE', MARKET, iso(3), { zoneId: 'wm-intake' }), at(3));
      const merged = mergedLot(
        merge(
          [
            [atMarket(), 10],
            [otherBypassed, 10],
          ],
          MARKET,
          6,
        ),
      );
      const bypassScan = `scan-receive-${MARKET.id}-${iso(3)}`;
      expect(merged.state.violations).toEqual([
        {
          id: `${bypassScan}.CENTRAL_WAREHOUSE_BYPASSED`,
          kind: 'CENTRAL_WAREHOUSE_BYPASSED',
          scanId: bypassScan,
          facilityId: MARKET.id,
          message: `parent ${OTHER}: reached WHOLESALE_MARKET wm-1 without passing a central warehouse`,
          occurredAt: iso(3),
          status: 'OPEN',
          resolution: null,
        },
      ]);
      expect(tradeBlockers(merged.state, at(6))).toEqual([
        { code: 'CENTRAL_WAREHOUSE_NOT_PASSED', message: `parent ${OTHER}: reached WHOLESALE_MARKET wm-1 without passing a central warehouse` },
      ]);
    });
  });

  describe('passedCentralWarehouse', () => {
    const passed = (decision: MergeDecision): boolean => mergedLot(decision).state.passedCentralWarehouse;

    it('is true when every parent passed a central warehouse', () => {
      expect(
        passed(
          merge(
            [
              [atMarket(), 10],
              [atMarket(atWarehouse(withPapers(registeredAs(OTHER), fullPapers(), 1))), 10],
            ],
            MARKET,
            6,
          ),
        ),
      ).toBe(true);
    });

    it('is false when one parent did not', () => {
      const bypassed = withPapers(registeredAs(OTHER), fullPapers(), 1)
        .run(scan('DISPATCH', PORT, iso(2), { to: MARKET, vehicle: truck() }), at(2))
        .run(scan('RECEIVE', MARKET, iso(3), { zoneId: 'wm-intake' }), at(3));
      expect(
        passed(
          merge(
            [
              [atMarket(), 10],
              [bypassed, 10],
            ],
            MARKET,
            6,
          ),
        ),
      ).toBe(false);
    });

    it('is false when no parent did (a merge at the port)', () => {
      const merged = mergedLot(
        merge(
          [
            [papered(), 10],
            [withPapers(registeredAs(OTHER), fullPapers(), 1), 10],
          ],
          PORT,
          2,
        ),
      );
      expect(merged.state.passedCentralWarehouse).toBe(false);
      expect(tradeBlockers(merged.state, at(2)).map((r) => r.code)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED']);
    });
  });

  it('changes none of its inputs', () => {
    const input = deepFreeze(
      mergeInput(MERGED, STORE, iso(9), [
        [sellable(), 10],
        [other(), 10],
      ]),
    );
    expect(() => decideMerge(input, deepFreeze(initialLotState()), at(9))).not.toThrow();
  });
});
