import {
  AncestorLock,
  ComplianceFlag,
  Custody,
  Destruction,
  LotDocument,
  LotLock,
  LotPortion,
  LotState,
  Product,
  RecallRecord,
  RouteStop,
  Transit,
  TraceViolation,
} from '@app/domain';

/**
 * What the lot summary stores of a lot: the facts a reader is shown, named
 * and picked here one by one. The domain's state keeps much more (its
 * timeline, resolutions, inherited papers) and may change shape; rows and
 * the API change only when this does.
 */
export interface LotRecord {
  readonly product: Product | null;
  /** Every origin and importer of the goods (a mixed merge has several). */
  readonly originCountries: readonly string[];
  readonly importers: readonly string[];
  readonly quantity: { readonly initial: number; readonly remaining: number; readonly unit: string } | null;
  readonly portOfEntryId: string | null;
  readonly enteredAt: string | null;
  readonly holder: Custody | null;
  readonly inTransit: Transit | null;
  readonly lock: LotLock | null;
  readonly documents: readonly LotDocument[];
  readonly violations: readonly TraceViolation[];
  readonly route: readonly RouteStop[];
  readonly ancestorLocks: readonly AncestorLock[];
  readonly recalls: readonly RecallRecord[];
  readonly destroyed: Destruction | null;
  readonly parents: readonly LotPortion[];
  readonly children: readonly LotPortion[];
  readonly flags: readonly ComplianceFlag[];
}

export const lotRecord = (s: LotState): LotRecord => ({
  product: s.product,
  originCountries: s.originCountries,
  importers: s.importers,
  quantity: s.quantity,
  portOfEntryId: s.portOfEntryId,
  enteredAt: s.enteredAt,
  holder: s.custody,
  inTransit: s.inTransit,
  lock: s.lock,
  documents: s.documents,
  violations: s.violations,
  route: s.route,
  ancestorLocks: s.ancestorLocks,
  recalls: s.recalls,
  destroyed: s.destroyed,
  parents: s.parents,
  children: s.children,
  flags: s.flags,
});
