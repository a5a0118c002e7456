import { conflict, invalid, ruleViolated } from '../shared/domain-error';
import { lotNotFound } from '../access/lot-scope';
import { FacilityRef } from '../facility/facility.types';
import { LotDerived, LotEvent, LotMerged, LotSplit } from './lot.events';
import { LotState, paperLines } from './lot.state';
import { AncestorLock, LotPortion, PaperLine, RecallRecord, sameProduct, TraceViolation } from './lot.types';
import { isValidAmount } from './quantity';
import { DEFAULT_TIME_POLICY, iso, notBeforeEntry, notInFuture } from './time';

const productLabel = (p: { name: string; category: string; gtin?: string }): string => `${p.name} (${p.category}${p.gtin ? `, GTIN ${p.gtin}` : ''})`;

/** Locks a child carries: its parent's own lock (as an ancestor lock) and every lock the parent inherited. */
const inheritedLocks = (parent: LotState): AncestorLock[] => [
  ...parent.ancestorLocks,
  ...(parent.lock ? [{ ancestor: parent.traceCode!, reason: parent.lock.reason, lockedAt: parent.lock.lockedAt }] : []),
];

const uniqueRecalls = (recalls: RecallRecord[]): RecallRecord[] => [...new Map(recalls.map((r) => [r.recallId, r])).values()];

/** What a child carries of its parent's violations: the open ones and the resolved ones (with their resolution); explained ones are gone. */
const carriedViolations = (parent: LotState): TraceViolation[] => parent.violations.filter((v) => v.status !== 'EXPLAINED');

/**
 * The first event of each child of a split, from the parent's state just
 * before the split: the same goods, so the same papers, custody chain, route,
 * violations, locks and recalls.
 */
export const deriveSplitChildren = (parent: LotState, split: LotSplit['data']): LotDerived[] =>
  split.children.map((child) => ({
    type: 'LotDerived',
    schemaVersion: 3,
    data: {
      kind: 'SPLIT',
      operationId: split.splitId,
      traceCode: child.traceCode,
      parents: [{ traceCode: parent.traceCode!, quantity: child.quantity }],
      product: parent.product!,
      originCountries: [...parent.originCountries],
      importers: [...parent.importers],
      quantity: { amount: child.quantity, unit: parent.quantity!.unit },
      portOfEntryId: parent.portOfEntryId!,
      enteredAt: parent.enteredAt!,
      custody: { ...parent.custody!, since: split.occurredAt },
      route: [...parent.route],
      passedCentralWarehouse: parent.passedCentralWarehouse,
      paperLines: paperLines(parent),
      violations: carriedViolations(parent),
      ancestorLocks: inheritedLocks(parent),
      recalls: [...parent.recalls],
      temperatureFindings: [...parent.temperatureFindings],
      occurredAt: split.occurredAt,
    },
  }));

export interface MergeInput {
  readonly mergeId: string;
  readonly traceCode: string;
  readonly facility: FacilityRef;
  readonly occurredAt: string;
  readonly parents: readonly { readonly portion: LotPortion; readonly state: LotState }[];
}

export interface MergeDecision {
  readonly parents: { traceCode: string; events: LotEvent[] }[];
  readonly child: LotEvent[];
}

const sameOrJoined = (values: string[]): string => [...new Set(values)].join(',');

/** In the parents' order, each once: a mixed merge keeps every origin and importer, so a filter on any finds it. */
const distinct = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * Repacks portions of several lots held at one facility into one new lot.
 * Every parent's papers stay a separate line (all must be complete), and any
 * blocking fact of a parent (violation, lock, recall) blocks the merged lot.
 */
export const decideMerge = (input: MergeInput, into: LotState, now: Date): MergeDecision => {
  if (into.registered) throw conflict('LOT_EXISTS', `lot ${input.traceCode} is already registered`, { traceCode: input.traceCode });
  if (input.parents.length < 2) throw invalid('VALIDATION_FAILED', 'a merge needs at least two parent lots', { field: 'parents' });
  const occurredAt = iso(input.occurredAt, 'occurredAt');
  notInFuture(occurredAt, 'occurredAt', now);
  // A repack cannot happen before any of its goods entered the country.
  for (const { state } of input.parents) {
    if (state.registered) notBeforeEntry(occurredAt, 'occurredAt', state.enteredAt, DEFAULT_TIME_POLICY.scanToleranceMs);
  }
  const codes = new Set<string>([input.traceCode]);
  for (const { portion } of input.parents) {
    if (codes.has(portion.traceCode)) {
      throw invalid('VALIDATION_FAILED', `${portion.traceCode} appears twice in this merge`, { field: 'parents' });
    }
    codes.add(portion.traceCode);
  }
  const first = input.parents[0].state;
  for (const { portion, state } of input.parents) {
    if (!state.registered) throw lotNotFound(portion.traceCode);
    if (state.destroyed) throw ruleViolated('LOT_DESTROYED', `lot ${portion.traceCode} was destroyed`, { traceCode: portion.traceCode });
    if (state.custody?.facilityId !== input.facility.id) {
      throw ruleViolated('LOT_NOT_AT_FACILITY', `lot ${portion.traceCode} is not held at ${input.facility.id}`, { traceCode: portion.traceCode });
    }
    const q = state.quantity!;
    if (q.unit !== first.quantity!.unit) {
      throw ruleViolated('UNIT_MISMATCH', `lot ${portion.traceCode} is counted in ${q.unit}, not ${first.quantity!.unit}`);
    }
    if (!sameProduct(state.product!, first.product!)) {
      throw ruleViolated('PRODUCT_MISMATCH', `lot ${portion.traceCode} holds ${productLabel(state.product!)}, not ${productLabel(first.product!)}`);
    }
    if (!isValidAmount(portion.quantity, q.unit)) {
      throw invalid('INVALID_QUANTITY', `${portion.quantity} is not a valid amount of ${q.unit}`, { field: 'parents.quantity' });
    }
    if (portion.quantity > q.remaining) {
      throw ruleViolated('QUANTITY_EXCEEDS_REMAINING', `${portion.quantity} ${q.unit} of ${portion.traceCode} asked, ${q.remaining} remain`, {
        traceCode: portion.traceCode,
        remaining: q.remaining,
      });
    }
  }

  const states = input.parents.map((p) => p.state);
  const zones = new Set(states.map((s) => s.custody!.zoneId));
  const lines: PaperLine[] = input.parents.flatMap(({ portion, state }) =>
    paperLines(state).map((l) => ({ from: l.from ? `${portion.traceCode}/${l.from}` : portion.traceCode, documents: l.documents })),
  );
  const total = input.parents.reduce((sum, p) => Math.round((sum + p.portion.quantity) * 1000) / 1000, 0);
  const child: LotDerived = {
    type: 'LotDerived',
    schemaVersion: 3,
    data: {
      kind: 'MERGE',
      operationId: input.mergeId,
      traceCode: input.traceCode,
      parents: input.parents.map((p) => ({ ...p.portion })),
      product: first.product!,
      originCountries: distinct(states.flatMap((s) => s.originCountries)),
      importers: distinct(states.flatMap((s) => s.importers)),
      quantity: { amount: total, unit: first.quantity!.unit },
      portOfEntryId: sameOrJoined(states.map((s) => s.portOfEntryId!)),
      enteredAt: states.map((s) => s.enteredAt!).sort()[0],
      custody: {
        facilityId: input.facility.id,
        facilityType: input.facility.type,
        zoneId: zones.size === 1 ? first.custody!.zoneId : null,
        zoneKind: zones.size === 1 ? first.custody!.zoneKind : null,
        since: occurredAt,
      },
      route: [{ facilityId: input.facility.id, facilityType: input.facility.type, arrivedAt: occurredAt, departedAt: null }],
      passedCentralWarehouse: states.every((s) => s.passedCentralWarehouse),
      paperLines: lines,
      violations: input.parents.flatMap(({ portion, state }) => carriedViolations(state).map((v) => ({ ...v, message: `parent ${portion.traceCode}: ${v.message}` }))),
      // One entry per ancestor, even when it reached the merged lot through several parents.
      ancestorLocks: [...new Map(states.flatMap(inheritedLocks).map((l) => [l.ancestor, l])).values()],
      recalls: uniqueRecalls(states.flatMap((s) => [...s.recalls])),
      temperatureFindings: states.flatMap((s) => [...s.temperatureFindings]),
      occurredAt,
    },
  };
  const parents = input.parents.map(({ portion }) => {
    const merged: LotMerged = {
      type: 'LotMerged',
      schemaVersion: 1,
      data: { mergeId: input.mergeId, intoTraceCode: input.traceCode, quantity: portion.quantity, facilityId: input.facility.id, occurredAt },
    };
    return { traceCode: portion.traceCode, events: [merged as LotEvent] };
  });
  return { parents, child: [child] };
};
