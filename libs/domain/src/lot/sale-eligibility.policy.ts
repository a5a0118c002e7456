import { ZoneKind } from '../facility/facility.types';
import { EligibilityFacts, factsOf, Judgeable } from './eligibility-facts';
import { DocumentType, LotDocument } from './lot.types';

export const REASON_CODES = [
  'CUSTOMS_DECLARATION_MISSING',
  'INSPECTION_CERTIFICATE_MISSING',
  'NUCLEIC_ACID_TEST_MISSING',
  'NUCLEIC_ACID_TEST_POSITIVE',
  'DISINFECTION_CERTIFICATE_MISSING',
  'CERTIFICATE_EXPIRED',
  'CENTRAL_WAREHOUSE_NOT_PASSED',
  'TRACE_INCOMPLETE',
  'NOT_AT_RETAIL_STORE',
  'NOT_IN_DEDICATED_SALES_ZONE',
  'LOT_LOCKED',
  'LOT_RECALLED',
  'LOT_DESTROYED',
  'QUANTITY_EXHAUSTED',
  'TEMPERATURE_ABUSE',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface BlockingReason {
  readonly code: ReasonCode;
  readonly message: string;
}

export interface Eligibility {
  readonly allowed: boolean;
  readonly reasons: BlockingReason[];
}

/** Where and how much a SELL scan wants to sell; absent when a retailer only asks. */
export interface SalePoint {
  readonly facilityId: string;
  readonly zoneKind: ZoneKind | null;
  readonly quantity: number;
}

const MISSING_REASON: Record<DocumentType, { code: ReasonCode; label: string }> = {
  CUSTOMS_DECLARATION: { code: 'CUSTOMS_DECLARATION_MISSING', label: 'customs declaration' },
  INSPECTION_QUARANTINE: { code: 'INSPECTION_CERTIFICATE_MISSING', label: 'inspection-and-quarantine certificate' },
  NUCLEIC_ACID_TEST: { code: 'NUCLEIC_ACID_TEST_MISSING', label: 'nucleic-acid test certificate' },
  DISINFECTION: { code: 'DISINFECTION_CERTIFICATE_MISSING', label: 'disinfection certificate' },
};

/** Does `d` supersede `best`? A later issue does; on a tie a POSITIVE test is never hidden by a NEGATIVE one. */
const supersedes = (d: LotDocument, best: LotDocument): boolean =>
  d.issuedAt > best.issuedAt || (d.issuedAt === best.issuedAt && best.result !== 'POSITIVE');

/** The document of a type that counts: the most recently issued (a retest supersedes an older test). */
export const currentDocument = (documents: readonly LotDocument[], type: DocumentType): LotDocument | null =>
  documents
    .filter((d) => d.type === type)
    .reduce<LotDocument | null>((best, d) => (best === null || supersedes(d, best) ? d : best), null);

/** Why a document on file does not count at `now`: a positive test result, or its validity has ended. */
export const documentDefects = (doc: LotDocument, now: Date): ('POSITIVE' | 'EXPIRED')[] => [
  ...(doc.type === 'NUCLEIC_ACID_TEST' && doc.result === 'POSITIVE' ? ['POSITIVE' as const] : []),
  ...(doc.validUntil !== null && Date.parse(doc.validUntil) <= now.getTime() ? ['EXPIRED' as const] : []),
];

/** The papers a lot must carry, in the order they are judged. */
export const REQUIRED_DOCUMENTS = Object.keys(MISSING_REASON) as DocumentType[];

/** 三证 + customs declaration of one line of papers: missing, positive or expired. */
const lineReasons = (documents: readonly LotDocument[], now: Date, via: string): BlockingReason[] => {
  const reasons: BlockingReason[] = [];
  for (const type of REQUIRED_DOCUMENTS) {
    const doc = currentDocument(documents, type);
    const { code, label } = MISSING_REASON[type];
    if (!doc) {
      reasons.push({ code, message: `${via}no ${label} is on file for this lot` });
      continue;
    }
    const defects = documentDefects(doc, now);
    if (defects.includes('POSITIVE')) {
      reasons.push({
        code: 'NUCLEIC_ACID_TEST_POSITIVE',
        message: `${via}nucleic-acid test ${doc.number} (issued ${doc.issuedAt} by ${doc.issuer}) is POSITIVE`,
      });
    }
    if (defects.includes('EXPIRED')) {
      reasons.push({ code: 'CERTIFICATE_EXPIRED', message: `${via}${label} ${doc.number} expired at ${doc.validUntil}` });
    }
  }
  return reasons;
};

/** Every line of papers must be complete: a lot repacked from several parents names the parent a gap came through. */
const paperReasons = (lot: EligibilityFacts, now: Date): BlockingReason[] => {
  const lines = lot.paperLines;
  return lines.flatMap((line) => lineReasons(line.documents, now, lines.length > 1 && line.from ? `via parent ${line.from}: ` : ''));
};

/** 追溯信息: an unbroken custody chain from entry, through a central warehouse, every dispatch received. */
const traceReasons = (lot: EligibilityFacts): BlockingReason[] => {
  const reasons: BlockingReason[] = [];
  // Resolved (reviewed by a regulator) and explained (a late scan filled the gap) violations no longer block.
  const open = lot.openViolations;
  const bypass = open.find((v) => v.kind === 'CENTRAL_WAREHOUSE_BYPASSED');
  if (bypass) {
    reasons.push({ code: 'CENTRAL_WAREHOUSE_NOT_PASSED', message: bypass.message });
  } else if (!lot.passedCentralWarehouse) {
    reasons.push({ code: 'CENTRAL_WAREHOUSE_NOT_PASSED', message: 'the lot has not been received at a central warehouse' });
  }
  if (lot.inTransit) {
    reasons.push({
      code: 'TRACE_INCOMPLETE',
      message: `dispatched from ${lot.inTransit.fromFacilityId} to ${lot.inTransit.toFacilityId} at ${lot.inTransit.dispatchedAt}; no receipt scanned yet`,
    });
  }
  for (const v of open) {
    if (v.kind !== 'CENTRAL_WAREHOUSE_BYPASSED' && v.kind !== 'TEMPERATURE_ABUSE') reasons.push({ code: 'TRACE_INCOMPLETE', message: v.message });
  }
  return reasons;
};

/**
 * Locks (own and through ancestors), recalls, destruction and a temperature
 * abuse not yet resolved (the goods are held until a regulator has looked):
 * such a lot may not move at all, from anywhere.
 */
export const lockReasons = (judged: Judgeable): BlockingReason[] => lockReasonsOf(factsOf(judged));

const lockReasonsOf = (lot: EligibilityFacts): BlockingReason[] => [
  ...(lot.lock ? [{ code: 'LOT_LOCKED' as const, message: `locked at ${lot.lock.lockedAt} (${lot.lock.source}): ${lot.lock.reason}` }] : []),
  ...lot.ancestorLocks.map((l) => ({
    code: 'LOT_LOCKED' as const,
    message: `locked through ancestor ${l.ancestor} at ${l.lockedAt}: ${l.reason}`,
  })),
  ...lot.recalls.map((r) => ({
    code: 'LOT_RECALLED' as const,
    message: `recalled (recall ${r.recallId}, ${r.source}) at ${r.recalledAt} because of lot ${r.origin}: ${r.reason}`,
  })),
  ...(lot.destroyed ? [{ code: 'LOT_DESTROYED' as const, message: `destroyed at ${lot.destroyed.destroyedAt}: ${lot.destroyed.reason}` }] : []),
  ...lot.openViolations.filter((v) => v.kind === 'TEMPERATURE_ABUSE').map((v) => ({ code: 'TEMPERATURE_ABUSE' as const, message: v.message })),
];

const locationReasons = (lot: EligibilityFacts, sale: SalePoint | undefined): BlockingReason[] => {
  const reasons: BlockingReason[] = [];
  const holder = lot.holder;
  if (!holder || holder.facilityType !== 'RETAIL_STORE') {
    reasons.push({
      code: 'NOT_AT_RETAIL_STORE',
      message: holder ? `the lot is held by ${holder.facilityType} ${holder.facilityId}` : 'the lot is in transit',
    });
  } else if (sale && sale.facilityId !== holder.facilityId) {
    reasons.push({ code: 'NOT_AT_RETAIL_STORE', message: `the lot is held by retail store ${holder.facilityId}, not ${sale.facilityId}` });
  }
  const zoneKind = sale?.zoneKind ?? holder?.zoneKind ?? null;
  if (zoneKind !== 'DEDICATED_SALES') {
    reasons.push({
      code: 'NOT_IN_DEDICATED_SALES_ZONE',
      message: zoneKind ? `the lot is in a ${zoneKind} zone` : 'the lot has not been placed in a dedicated sales zone',
    });
  }
  return reasons;
};

const quantityReasons = (lot: EligibilityFacts, sale: SalePoint | undefined): BlockingReason[] => {
  const q = lot.quantity;
  if (!q) return [];
  if (q.remaining <= 0) return [{ code: 'QUANTITY_EXHAUSTED', message: 'nothing of this lot remains' }];
  if (sale && sale.quantity > q.remaining) {
    return [{ code: 'QUANTITY_EXHAUSTED', message: `${sale.quantity} ${q.unit} requested but only ${q.remaining} ${q.unit} remain` }];
  }
  return [];
};

/**
 * 四不 + the sale ban, in one place: what stops a lot from being traded onwards
 * (out of a central warehouse or a wholesale market). Judged at `now`.
 */
export const tradeBlockers = (judged: Judgeable, now: Date): BlockingReason[] => {
  const lot = factsOf(judged);
  return [...paperReasons(lot, now), ...traceReasons(lot), ...lockReasonsOf(lot)];
};

/**
 * May this lot be sold to a consumer? The command side (SELL) and the read side
 * (retailer's question, regulator's list) both call this, so they cannot disagree.
 */
export const saleEligibility = (judged: Judgeable, now: Date, sale?: SalePoint): Eligibility => {
  const lot = factsOf(judged);
  const reasons = [
    ...paperReasons(lot, now),
    ...traceReasons(lot),
    ...locationReasons(lot, sale),
    ...lockReasonsOf(lot),
    ...quantityReasons(lot, sale),
  ];
  return { allowed: reasons.length === 0, reasons };
};

/** The validity ends of the documents that count, the only instants at which the clock alone changes a verdict. */
const expiries = (lot: Judgeable): string[] =>
  factsOf(lot).paperLines
    .flatMap((line) => REQUIRED_DOCUMENTS.map((type) => currentDocument(line.documents, type)?.validUntil ?? null))
    .filter((v): v is string => v !== null);

/** When a currently allowed answer stops being true by the clock alone (the earliest expiry), if ever. */
export const eligibilityLapsesAt = (lot: Judgeable): string | null => expiries(lot).sort()[0] ?? null;

/**
 * Until when (epoch ms, exclusive) saleEligibility(lot, t) gives the same
 * answer as at `now` for every t from `now` on: the next expiry after `now`;
 * Infinity when no expiry is ahead.
 */
export const eligibilityHoldsUntil = (lot: Judgeable, now: Date): number =>
  expiries(lot)
    .map((v) => Date.parse(v))
    .filter((t) => t > now.getTime())
    .reduce((a, b) => Math.min(a, b), Infinity);
