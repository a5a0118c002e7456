import { LotState, openViolations, paperLines } from './lot.state';
import { AncestorLock, Custody, Destruction, LotLock, PaperLine, QuantityUnit, RecallRecord, Transit, TraceViolationKind } from './lot.types';

/**
 * What the sale rules read of a lot, and all they read: the policy's input,
 * and what read models keep of a lot to judge it again at read time
 * (certificates expire with the clock). A shape of its own, so the lot's
 * internal state can change without changing stored rows or the API.
 */
export interface EligibilityFacts {
  /** One line of papers per parent line (one for an import lot), each complete with the lot's own documents. */
  readonly paperLines: readonly PaperLine[];
  /** Custody violations that block (not resolved, not explained). */
  readonly openViolations: readonly { readonly kind: TraceViolationKind; readonly message: string }[];
  readonly passedCentralWarehouse: boolean;
  /** Who holds the lot; null while it is in transit. */
  readonly holder: Custody | null;
  readonly inTransit: Transit | null;
  readonly lock: LotLock | null;
  readonly ancestorLocks: readonly AncestorLock[];
  readonly recalls: readonly RecallRecord[];
  readonly destroyed: Destruction | null;
  readonly quantity: { readonly initial: number; readonly remaining: number; readonly unit: QuantityUnit } | null;
}

export const eligibilityFacts = (s: LotState): EligibilityFacts => ({
  paperLines: paperLines(s),
  openViolations: openViolations(s).map((v) => ({ kind: v.kind, message: v.message })),
  passedCentralWarehouse: s.passedCentralWarehouse,
  holder: s.custody,
  inTransit: s.inTransit,
  lock: s.lock,
  ancestorLocks: s.ancestorLocks,
  recalls: s.recalls,
  destroyed: s.destroyed,
  quantity: s.quantity,
});

/** The rules judge a lot's state (the command side) or its stored facts (the read side) alike. */
export type Judgeable = LotState | EligibilityFacts;

export const factsOf = (lot: Judgeable): EligibilityFacts => ('registered' in lot ? eligibilityFacts(lot) : lot);

export type LotStatus = 'DESTROYED' | 'RECALLED' | 'LOCKED' | 'IN_TRANSIT' | 'SOLD_OUT' | 'HELD';

/** The one-word lifecycle status shown to users; destruction, recall and locks outrank everything. */
export const lotStatus = (lot: Judgeable): LotStatus => {
  const f = factsOf(lot);
  if (f.destroyed) return 'DESTROYED';
  if (f.recalls.length > 0) return 'RECALLED';
  if (f.lock !== null || f.ancestorLocks.length > 0) return 'LOCKED';
  if (f.inTransit) return 'IN_TRANSIT';
  if (f.quantity && f.quantity.remaining <= 0) return 'SOLD_OUT';
  return 'HELD';
};

