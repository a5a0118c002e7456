import {
  logTemperatures,
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
  LotHistory,
  MARKET,
  nucleicAcidTest,
  OTHER_STORE,
  papered,
  PORT,
  recall,
  registered,
  scan,
  sellable,
  STORE,
  truck,
  unlock,
  WAREHOUSE,
  withPapers,
} from '../testing/lot-fixtures';
import { LotState } from './lot.state';
import { DocumentType, LotDocument } from './lot.types';
import {
  BlockingReason,
  currentDocument,
  eligibilityHoldsUntil,
  eligibilityLapsesAt,
  ReasonCode,
  REASON_CODES,
  saleEligibility,
  SalePoint,
  tradeBlockers,
} from './sale-eligibility.policy';

const codes = (reasons: readonly BlockingReason[]): ReasonCode[] => reasons.map((r) => r.code);
const saleCodes = (lot: LotState, now: Date, sale?: SalePoint): ReasonCode[] => codes(saleEligibility(lot, now, sale).reasons);
const tradeCodes = (lot: LotState, now: Date): ReasonCode[] => codes(tradeBlockers(lot, now));

/** Where a lot at the central warehouse (received into its intake zone) stands for a sale, papers aside. */
const NOT_AT_STORE: ReasonCode[] = ['NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE'];

const papersWithout = (type: DocumentType): LotDocument[] => fullPapers().filter((d) => d.type !== type);
const missingAtWarehouse = (type: DocumentType): LotHistory => atWarehouse(withPapers(registered(), papersWithout(type), 1));
const paperOf = (type: DocumentType): LotDocument => {
  const document = fullPapers().find((d) => d.type === type);
  if (!document) throw new Error(`no fixture paper of type ${type}`);
  return document;
};

/** Received at the retail store straight into its dedicated sales zone (hour 7). */
const receivedIntoSales = (h: LotHistory): LotHistory =>
  h
    .run(scan('DISPATCH', MARKET, iso(6), { to: STORE, vehicle: truck() }), at(6))
    .run(scan('RECEIVE', STORE, iso(7), { zoneId: 'rs-sales' }), at(7));

interface ReasonCase {
  readonly code: ReasonCode;
  /** How the state that produces the reason comes about. */
  readonly produced: string;
  readonly given: () => LotHistory;
  readonly now: Date;
  /** Exactly the reasons a sale is refused for in that state. */
  readonly reasons: ReasonCode[];
  /** The later event(s) that clear it; null when nothing can (a sold-out lot stays sold out). */
  readonly clearedBy: { readonly how: string; readonly run: (h: LotHistory) => LotHistory; readonly now: Date; readonly reasons: ReasonCode[] } | null;
}

const missingPaperCase = (code: ReasonCode, type: DocumentType): ReasonCase => ({
  code,
  produced: `the lot reached the central warehouse without a ${type}`,
  given: () => missingAtWarehouse(type),
  now: at(4),
  reasons: [code, ...NOT_AT_STORE],
  clearedBy: { how: `the ${type} is attached`, run: (h) => h.run(attach(paperOf(type)), at(4)), now: at(4), reasons: NOT_AT_STORE },
});

const REASON_CASES: ReasonCase[] = [
  missingPaperCase('CUSTOMS_DECLARATION_MISSING', 'CUSTOMS_DECLARATION'),
  missingPaperCase('INSPECTION_CERTIFICATE_MISSING', 'INSPECTION_QUARANTINE'),
  missingPaperCase('NUCLEIC_ACID_TEST_MISSING', 'NUCLEIC_ACID_TEST'),
  missingPaperCase('DISINFECTION_CERTIFICATE_MISSING', 'DISINFECTION'),
  {
    code: 'NUCLEIC_ACID_TEST_POSITIVE',
    produced: 'a POSITIVE retest of a sale-allowed lot (which also locks it)',
    given: () => sellable().run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-002', issuedAt: iso(9) })), at(9)),
    now: at(9),
    reasons: ['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED'],
    clearedBy: {
      how: 'a NEGATIVE test issued later (the lock stays until lifted)',
      run: (h) => h.run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-003', issuedAt: iso(10) })), at(10)),
      now: at(10),
      reasons: ['LOT_LOCKED'],
    },
  },
  {
    code: 'CERTIFICATE_EXPIRED',
    produced: 'now is past the nucleic-acid test validUntil (14 days)',
    given: () => sellable(),
    now: at(15 * DAY),
    reasons: ['CERTIFICATE_EXPIRED'],
    clearedBy: {
      how: 'a newer nucleic-acid test certificate',
      run: (h) =>
        h.run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-002', issuedAt: iso(15 * DAY - 2), validUntil: iso(29 * DAY) })), at(15 * DAY)),
      now: at(15 * DAY),
      reasons: [],
    },
  },
  {
    code: 'CENTRAL_WAREHOUSE_NOT_PASSED',
    produced: 'the lot is still at the port',
    given: () => papered(),
    now: at(2),
    reasons: ['CENTRAL_WAREHOUSE_NOT_PASSED', ...NOT_AT_STORE],
    clearedBy: { how: 'its receipt at a central warehouse', run: (h) => atWarehouse(h), now: at(3), reasons: NOT_AT_STORE },
  },
  {
    code: 'TRACE_INCOMPLETE',
    produced: 'the lot is in transit from the market to the retail store',
    given: () => atMarket().run(scan('DISPATCH', MARKET, iso(6), { to: STORE }), at(6)),
    now: at(6),
    reasons: ['TRACE_INCOMPLETE', ...NOT_AT_STORE],
    clearedBy: {
      how: 'the matching receipt (into the dedicated sales zone)',
      run: (h) => h.run(scan('RECEIVE', STORE, iso(7), { zoneId: 'rs-sales' }), at(7)),
      now: at(7),
      reasons: [],
    },
  },
  {
    code: 'NOT_AT_RETAIL_STORE',
    produced: "the lot sits in the wholesale market's dedicated sales zone",
    given: () => atMarket().run(scan('STORE', MARKET, iso(5.5), { zoneId: 'wm-sales' }), at(5.5)),
    now: at(6),
    reasons: ['NOT_AT_RETAIL_STORE'],
    clearedBy: { how: 'dispatch to and receipt at a retail store', run: receivedIntoSales, now: at(7), reasons: [] },
  },
  {
    code: 'NOT_IN_DEDICATED_SALES_ZONE',
    produced: "the lot sits in the retail store's intake zone",
    given: () => atStoreIntake(),
    now: at(7),
    reasons: ['NOT_IN_DEDICATED_SALES_ZONE'],
    clearedBy: { how: 'a STORE scan into the dedicated sales zone', run: (h) => sellable(h), now: at(8), reasons: [] },
  },
  {
    code: 'LOT_LOCKED',
    produced: 'a regulator locked a sale-allowed lot',
    given: () => sellable().run(lock('spot check'), at(9)),
    now: at(9),
    reasons: ['LOT_LOCKED'],
    clearedBy: { how: 'LotUnlocked', run: (h) => h.run(unlock('spot check passed'), at(10)), now: at(10), reasons: [] },
  },
  {
    code: 'LOT_RECALLED',
    produced: 'a regulator recalled a sale-allowed lot (a recall is never lifted)',
    given: () => sellable().run(recall(), at(9)),
    now: at(9),
    reasons: ['LOT_RECALLED'],
    clearedBy: null,
  },
  {
    code: 'LOT_DESTROYED',
    produced: 'a sale-allowed lot was destroyed',
    given: () => sellable().run(destroy(), at(9)),
    now: at(9),
    reasons: ['LOT_DESTROYED'],
    clearedBy: null,
  },
  {
    code: 'QUANTITY_EXHAUSTED',
    produced: 'everything was sold',
    given: () => sellable().run(scan('SELL', STORE, iso(9), { quantity: 100 }), at(9)),
    now: at(9),
    reasons: ['QUANTITY_EXHAUSTED'],
    clearedBy: null,
  },
  {
    code: 'TEMPERATURE_ABUSE',
    produced: 'its temperature log shows 3 h at -5 °C (beyond the FROZEN hard limit of -12 °C for 60 min)',
    given: () => sellable().run(logTemperatures(1, 60, (i) => (i >= 10 && i < 46 ? -5 : -20)), at(9)),
    now: at(9),
    reasons: ['TEMPERATURE_ABUSE'],
    clearedBy: {
      how: "a regulator's resolution of the abuse",
      run: (h) => h.run({ type: 'ResolveViolation', data: { violationId: h.state.violations.find((v) => v.kind === 'TEMPERATURE_ABUSE')!.id, reason: 'core temperature checked' } }, at(10)),
      now: at(10),
      reasons: [],
    },
  },
];

describe('sale eligibility policy', () => {
  it('a lot with every paper, an unbroken trace through a central warehouse, in a retail store sales zone, is sale-allowed', () => {
    expect(saleEligibility(sellable().state, at(9))).toEqual({ allowed: true, reasons: [] });
    expect(saleEligibility(sellable().state, at(9), { facilityId: STORE.id, zoneKind: 'DEDICATED_SALES', quantity: 100 })).toEqual({
      allowed: true,
      reasons: [],
    });
  });

  it('covers every reason code in REASON_CODES', () => {
    expect(REASON_CASES.map((c) => c.code).sort()).toEqual([...REASON_CODES].sort());
  });

  describe.each(REASON_CASES)('$code', (c) => {
    it(`is produced when ${c.produced}`, () => {
      const verdict = saleEligibility(c.given().state, c.now);
      expect(verdict.allowed).toBe(false);
      expect(codes(verdict.reasons)).toEqual(c.reasons);
      for (const reason of verdict.reasons) expect(reason.message).not.toHaveLength(0);
    });

    const cleared = c.clearedBy;
    if (cleared) {
      it(`is cleared by ${cleared.how}`, () => {
        const after = cleared.run(c.given());
        expect(saleCodes(after.state, cleared.now)).toEqual(cleared.reasons);
        expect(saleCodes(after.state, cleared.now)).not.toContain(c.code);
      });
    } else {
      it('is not cleared by anything the lot can go through', () => {
        const lot = c.given().state;
        expect(saleCodes(lot, at(10 * DAY))).toContain(c.code);
      });
    }
  });

  describe('papers', () => {
    it('a NEGATIVE test issued before the POSITIVE one does not clear it, even attached later', () => {
      const h = sellable()
        .run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-002', issuedAt: iso(9) })), at(9))
        .run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-003', issuedAt: iso(8) })), at(10));
      expect(saleCodes(h.state, at(10))).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED']);
    });

    it('a NEGATIVE test issued at the same instant as a POSITIVE one does not clear it, whatever the upload order', () => {
      // Lab certificates often carry only a date, so equal issuedAt values are realistic. Only a *later* test
      // supersedes; on a tie the positive result must win, or uploading order could hide a positive sample.
      const positiveFirst = sellable()
        .run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-002', issuedAt: iso(9) })), at(9))
        .run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-003', issuedAt: iso(9) })), at(10));
      const negativeFirst = sellable()
        .run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-003', issuedAt: iso(9) })), at(9))
        .run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-002', issuedAt: iso(9) })), at(10));
      expect(saleCodes(negativeFirst.state, at(10))).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED']);
      expect(saleCodes(positiveFirst.state, at(10))).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED']);
    });

    it('an older, expired certificate does not count once a newer one is on file', () => {
      const h = sellable().run(attach(inspectionCertificate({ number: 'IQ-000', issuedAt: iso(-20 * DAY), validUntil: iso(-10 * DAY) })), at(9));
      expect(saleCodes(h.state, at(9))).toEqual([]);
      expect(currentDocument(h.state.documents, 'INSPECTION_QUARANTINE')?.number).toBe('IQ-001');
    });

    it('a newer certificate that has itself expired blocks, even if an older one is still valid', () => {
      const h = sellable().run(attach(disinfectionCertificate({ number: 'DS-002', issuedAt: iso(0), validUntil: iso(1) })), at(9));
      const verdict = saleEligibility(h.state, at(9));
      expect(codes(verdict.reasons)).toEqual(['CERTIFICATE_EXPIRED']);
      expect(verdict.reasons[0].message).toBe(`disinfection certificate DS-002 expired at ${iso(1)}`);
    });

    it('a certificate expires at its validUntil instant, not a millisecond before', () => {
      const lot = sellable().state;
      const validUntil = Date.parse(iso(14 * DAY));
      expect(saleCodes(lot, new Date(validUntil - 1))).toEqual([]);
      expect(saleCodes(lot, new Date(validUntil))).toEqual(['CERTIFICATE_EXPIRED']);
    });

    it('a customs declaration without validUntil never expires', () => {
      const h = atWarehouse(withPapers(registered(), [customsDeclaration()], 1));
      expect(tradeCodes(h.state, at(10 * 365 * DAY))).toEqual([
        'INSPECTION_CERTIFICATE_MISSING',
        'NUCLEIC_ACID_TEST_MISSING',
        'DISINFECTION_CERTIFICATE_MISSING',
      ]);
    });
  });

  describe('trace', () => {
    it('a recorded bypass blocks as CENTRAL_WAREHOUSE_NOT_PASSED with the violation message', () => {
      const h = papered()
        .run(scan('DISPATCH', PORT, iso(2), { to: MARKET }), at(2))
        .run(scan('RECEIVE', MARKET, iso(3)), at(3));
      expect(tradeBlockers(h.state, at(3))).toEqual([
        { code: 'CENTRAL_WAREHOUSE_NOT_PASSED', message: 'reached WHOLESALE_MARKET wm-1 without passing a central warehouse' },
      ]);
    });

    it('a recorded gap in custody stays TRACE_INCOMPLETE for good', () => {
      // a scan is a fact: the SAMPLE puts the lot at the warehouse, so the later STORE there is in order
      const h = papered()
        .run(scan('SAMPLE', WAREHOUSE, iso(2)), at(2))
        .run(scan('STORE', WAREHOUSE, iso(3), { zoneId: 'cw-storage' }), at(3));
      expect(tradeBlockers(h.state, at(4))).toEqual([
        { code: 'TRACE_INCOMPLETE', message: 'SAMPLE scanned at cw-1 while the lot was held by port-1' },
      ]);
    });

    it('a receipt without a dispatch stays TRACE_INCOMPLETE for good', () => {
      const h = papered().run(scan('RECEIVE', WAREHOUSE, iso(3)), at(3));
      expect(tradeCodes(h.state, at(4))).toEqual(['TRACE_INCOMPLETE']);
    });
  });

  describe('tradeBlockers', () => {
    it.each<[string, () => LotHistory, Date, ReasonCode[]]>([
      ['at the port with its papers', () => papered(), at(2), ['CENTRAL_WAREHOUSE_NOT_PASSED']],
      ['received at the central warehouse', () => atWarehouse(), at(4), []],
      ['received at the wholesale market', () => atMarket(), at(6), []],
    ])('for a lot %s: %j', (_where, lot, now, expected) => {
      expect(tradeCodes(lot().state, now)).toEqual(expected);
    });

    it('ignores where the lot sits and how much is left', () => {
      const soldOut = sellable().run(scan('SELL', STORE, iso(9), { quantity: 100 }), at(9));
      expect(tradeBlockers(soldOut.state, at(9))).toEqual([]);
      expect(tradeBlockers(atWarehouse().state, at(4))).toEqual([]);
    });

    it.each([
      ['CUSTOMS_DECLARATION_MISSING', 'CUSTOMS_DECLARATION'],
      ['INSPECTION_CERTIFICATE_MISSING', 'INSPECTION_QUARANTINE'],
      ['NUCLEIC_ACID_TEST_MISSING', 'NUCLEIC_ACID_TEST'],
      ['DISINFECTION_CERTIFICATE_MISSING', 'DISINFECTION'],
    ] as const)('names %s alone when only the %s is missing', (code, type) => {
      expect(tradeCodes(missingAtWarehouse(type).state, at(4))).toEqual([code]);
    });
  });

  describe('a sale point', () => {
    it('asking for more than remains: QUANTITY_EXHAUSTED with how much is left', () => {
      const verdict = saleEligibility(sellable().state, at(9), { facilityId: STORE.id, zoneKind: null, quantity: 100.5 });
      expect(verdict).toEqual({
        allowed: false,
        reasons: [{ code: 'QUANTITY_EXHAUSTED', message: '100.5 KG requested but only 100 KG remain' }],
      });
    });

    it('at a retail store that does not hold the lot: NOT_AT_RETAIL_STORE', () => {
      const verdict = saleEligibility(sellable().state, at(9), { facilityId: OTHER_STORE.id, zoneKind: 'DEDICATED_SALES', quantity: 1 });
      expect(verdict.reasons).toEqual([{ code: 'NOT_AT_RETAIL_STORE', message: 'the lot is held by retail store rs-1, not rs-2' }]);
    });

    it("its zone kind wins over the lot's own zone", () => {
      expect(saleCodes(sellable().state, at(9), { facilityId: STORE.id, zoneKind: 'GENERAL', quantity: 1 })).toEqual([
        'NOT_IN_DEDICATED_SALES_ZONE',
      ]);
      expect(saleCodes(atStoreIntake().state, at(8), { facilityId: STORE.id, zoneKind: 'DEDICATED_SALES', quantity: 1 })).toEqual([]);
    });

    it("without a zone kind falls back to the lot's own zone", () => {
      expect(saleCodes(sellable().state, at(9), { facilityId: STORE.id, zoneKind: null, quantity: 1 })).toEqual([]);
      expect(saleCodes(atStoreIntake().state, at(8), { facilityId: STORE.id, zoneKind: null, quantity: 1 })).toEqual([
        'NOT_IN_DEDICATED_SALES_ZONE',
      ]);
    });
  });

  describe('eligibilityLapsesAt', () => {
    it('is null with no papers, or no papers that expire', () => {
      expect(eligibilityLapsesAt(registered().state)).toBeNull();
      expect(eligibilityLapsesAt(withPapers(registered(), [customsDeclaration()], 1).state)).toBeNull();
    });

    it('is the earliest validUntil among the papers that count', () => {
      expect(eligibilityLapsesAt(sellable().state)).toBe(iso(14 * DAY));
    });

    it('moves when a newer certificate supersedes the earliest-expiring one', () => {
      const retested = sellable().run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-002', issuedAt: iso(9), validUntil: iso(60 * DAY) })), at(9));
      expect(eligibilityLapsesAt(retested.state)).toBe(iso(30 * DAY));
      const shortLived = sellable().run(attach(disinfectionCertificate({ number: 'DS-002', issuedAt: iso(9), validUntil: iso(2 * DAY) })), at(9));
      expect(eligibilityLapsesAt(shortLived.state)).toBe(iso(2 * DAY));
    });

    it('is exactly when a sale-allowed lot stops being allowed by the clock alone', () => {
      const lot = sellable().state;
      const lapse = eligibilityLapsesAt(lot);
      if (lapse === null) throw new Error('expected the sellable fixture to lapse');
      expect(saleEligibility(lot, new Date(Date.parse(lapse) - 1)).allowed).toBe(true);
      expect(saleEligibility(lot, new Date(lapse))).toEqual({
        allowed: false,
        reasons: [{ code: 'CERTIFICATE_EXPIRED', message: `nucleic-acid test certificate NAT-001 expired at ${lapse}` }],
      });
    });
  });

  describe('eligibilityHoldsUntil', () => {
    it('is the next expiry after now, then the one after, then never', () => {
      const lot = withPapers(sellable(), [disinfectionCertificate({ number: 'DS-002', issuedAt: iso(9), validUntil: iso(20 * DAY) })], 10).state;
      expect(eligibilityHoldsUntil(lot, new Date(iso(10)))).toBe(Date.parse(iso(14 * DAY)));
      expect(eligibilityHoldsUntil(lot, new Date(iso(14 * DAY)))).toBe(Date.parse(iso(20 * DAY)));
      expect(eligibilityHoldsUntil(registered().state, new Date(iso(10)))).toBe(Infinity);
    });

    it('the verdict is the same at every instant before it, and changes at it', () => {
      const lot = sellable().state;
      const now = new Date(iso(10));
      const until = eligibilityHoldsUntil(lot, now);
      expect(saleEligibility(lot, new Date(until - 1))).toEqual(saleEligibility(lot, now));
      expect(saleEligibility(lot, new Date(until))).not.toEqual(saleEligibility(lot, now));
    });
  });
});
