import { Decider } from '../shared/decider';
import { conflict, invalid, notFound, ruleViolated } from '../shared/domain-error';
import { lotNotFound } from '../access/lot-scope';
import { FacilityRef, Zone } from '../facility/facility.types';
import { byTime, judge, Judged, presenceAt, revealedBy, step } from './custody-timeline';
import { AttachDocument, DocumentAlsoOn, SingleLotCommand, ReceiveDocument, RecordScan, RecordTemperatures, ResolveViolation, SplitLot } from './lot.commands';
import { ComplianceFlagRaised, CustodyCorrected, LotEvent, ScanFacts, TemperatureFindingRecorded, TraceViolationRecorded } from './lot.events';
import {
  findingMessage,
  judgeTemperatures,
  newFindings,
  outsideRange,
  rangeText,
  readingsNotIn,
  summariseUpload,
  temperatureAbuseId,
  TemperatureExcursion,
  TemperatureGap,
  TemperatureReading,
  TemperatureRules,
} from './temperature.rules';
import { evolveLot, initialLotState, judgedAs, LotState, movementOf, paperLines } from './lot.state';
import { BATCH_LOT_MAX_LENGTH, isBatchLot, normaliseGtin } from './gtin';
import { isValidAmount } from './quantity';
import { CLOCK_SKEW_MS, DEFAULT_TIME_POLICY, iso, notBeforeEntry, notInFuture, TimePolicy } from './time';
import { currentDocument, documentDefects, lockReasons, saleEligibility, tradeBlockers } from './sale-eligibility.policy';
import { ComplianceFlagKind, FoundViolation, LotDocument, Movement } from './lot.types';

/** Trading onwards out of these facilities needs the full set of papers and an unbroken trace. */
const GATED_DISPATCH_FROM = new Set(['CENTRAL_WAREHOUSE', 'WHOLESALE_MARKET']);

const requireRegistered = (state: LotState): void => {
  if (!state.registered) throw lotNotFound();
};

const requireNotDestroyed = (state: LotState): void => {
  if (state.destroyed) throw ruleViolated('LOT_DESTROYED', `the lot was destroyed at ${state.destroyed.destroyedAt}: ${state.destroyed.reason}`);
};

/** Where a lot is for a notification: its holder, or where it is heading while in transit. */
export const whereabouts = (state: LotState): string | null => state.custody?.facilityId ?? state.inTransit?.toFacilityId ?? null;

const zoneOf = (facility: FacilityRef, zoneId: string | null): Zone | null => {
  if (zoneId === null) return null;
  const zone = facility.zones.find((z) => z.id === zoneId);
  if (!zone) {
    throw ruleViolated('ZONE_NOT_IN_FACILITY', `zone ${zoneId} is not a zone of facility ${facility.id}`, {
      facilityId: facility.id,
      zoneId,
    });
  }
  return zone;
};

const sameDocument = (a: LotDocument, b: LotDocument): boolean =>
  a.issuer === b.issuer && a.issuedAt === b.issuedAt && a.validUntil === b.validUntil && a.result === b.result;

const recorded = (v: FoundViolation): TraceViolationRecorded => ({
  type: 'TraceViolationRecorded',
  schemaVersion: 1,
  data: { kind: v.kind, scanId: v.scanId!, facilityId: v.facilityId, message: v.message, occurredAt: v.occurredAt },
});

/**
 * What adding `m` to the timeline reveals that nothing on record said yet:
 * the scan's own breaks of the chain, and (when it lands between earlier
 * scans) any it now shows in scans judged before.
 */
const revealedByAdding = (state: LotState, m: Movement, after: Judged): TraceViolationRecorded[] => {
  const known = new Set([...(state.judged?.found ?? []), ...state.recordedViolations].map((v) => v.id));
  return after.found.filter((v) => !known.has(v.id) && v.scanId !== null).map(recorded);
};

/** The timeline with `m` on it: a step when it is the latest, else a replay. */
const judgedWith = (state: LotState, m: Movement): Judged => {
  const bypassKnown = state.inheritedViolations.some((v) => v.kind === 'CENTRAL_WAREHOUSE_BYPASSED');
  const inOrder = m.occurredAt >= (state.lastMovementAt ?? state.origin!.at);
  return inOrder && state.judged ? step(state.judged, m, bypassKnown) : judge(state.origin!, [...state.movements.toArray(), m], bypassKnown);
};

/**
 * The lot as it stood at `m`'s place on the timeline, with the breaks `m`
 * itself reveals: what a dispatch or a sale at that moment is judged on
 * (papers, locks and quantity are as they are now).
 */
const stateAt = (state: LotState, m: Movement): LotState => {
  const bypassKnown = state.inheritedViolations.some((v) => v.kind === 'CENTRAL_WAREHOUSE_BYPASSED');
  const inOrder = m.occurredAt >= (state.lastMovementAt ?? state.origin!.at);
  const before = inOrder && state.judged ? state.judged : judge(state.origin!, state.movements.filter((x) => byTime(x, m) < 0), bypassKnown);
  const own = revealedBy(before, m, bypassKnown);
  return judgedAs(state, { ...before, found: [...before.found, ...own] });
};

/** 三专 and the cold chain: facts worth a regulator's eye that do not block on their own. */
const complianceFlags = (state: LotState, facts: ScanFacts, d: RecordScan['data']): ComplianceFlagRaised[] => {
  const raised: ComplianceFlagRaised[] = [];
  const flag = (kind: ComplianceFlagKind, message: string) =>
    raised.push({
      type: 'ComplianceFlagRaised',
      schemaVersion: 2,
      data: { flag: kind, scanId: facts.scanId, facilityId: facts.facilityId, message, occurredAt: facts.occurredAt },
    });
  const where = facts.zoneKind ? `a ${facts.zoneKind} zone (${facts.zoneId})` : 'no recorded zone';
  if (d.action === 'RECEIVE' && d.facility.type !== 'PORT_OF_ENTRY' && facts.zoneKind !== 'DEDICATED_INTAKE') {
    flag('RECEIPT_OUTSIDE_DEDICATED_INTAKE', `received at ${facts.facilityId} through ${where}, not a dedicated intake`);
  }
  if (d.action === 'STORE' && (facts.zoneKind === 'GENERAL' || facts.zoneKind === 'DEDICATED_INTAKE')) {
    flag('STORAGE_OUTSIDE_DEDICATED_ZONE', `stored at ${facts.facilityId} in ${where}, not a dedicated storage or sales zone`);
  }
  if (d.action === 'DISPATCH' && !d.vehicle?.disinfectedAt) {
    flag('VEHICLE_NOT_DISINFECTED', d.vehicle ? `vehicle ${d.vehicle.plate} has no disinfection record` : 'dispatched with no vehicle recorded, so no vehicle disinfection record');
  } else if (d.action === 'DISPATCH' && Date.parse(d.vehicle!.disinfectedAt!) > Date.parse(facts.occurredAt)) {
    flag('VEHICLE_NOT_DISINFECTED', `vehicle ${d.vehicle!.plate} was disinfected at ${d.vehicle!.disinfectedAt}, after this dispatch`);
  }
  const category = state.product?.category;
  if (facts.temperatureC !== null && category && outsideRange(category, facts.temperatureC, d.temperatureRules)) {
    const range = rangeText(d.temperatureRules.categories[category].range);
    flag('TEMPERATURE_EXCURSION', `${facts.temperatureC} °C at ${facts.facilityId}, outside the ${range} range for ${category} goods`);
  }
  // Concurrent scanners and drifting clocks invert scans by moments; an upload that late is news.
  if (state.lastMovementAt !== null && Date.parse(facts.occurredAt) < Date.parse(state.lastMovementAt) - CLOCK_SKEW_MS) {
    flag('OUT_OF_ORDER_SCAN', `${d.action} dated ${facts.occurredAt} arrived after a movement dated ${state.lastMovementAt}; placed on the timeline by its own time`);
  }
  return raised;
};

/**
 * A dispatch or a sale at a facility cannot come before the lot got there: a
 * SELL an hour before the store received the lot, a DISPATCH before its RECEIVE.
 * (A scan where the lot never was at all is a custody gap, recorded as such.)
 */
const notBeforeArrival = (state: LotState, d: RecordScan['data'], occurredAt: string): void => {
  if (d.action !== 'SELL' && d.action !== 'DISPATCH') return;
  const presence = presenceAt(state.origin!, state.movements, d.facility.id, occurredAt);
  if (presence.before || !presence.after) return;
  const code = d.action === 'SELL' ? 'SALE_BEFORE_RECEIPT' : 'DISPATCH_BEFORE_RECEIPT';
  throw ruleViolated(code, `${d.action} at ${d.facility.id} dated ${occurredAt} is before the lot reached ${d.facility.id}`, {
    facilityId: d.facility.id,
    occurredAt,
  });
};

const decideScan = (command: RecordScan, state: LotState, now: Date): LotEvent[] => {
  requireRegistered(state);
  requireNotDestroyed(state);
  const d = command.data;
  const policy = d.timePolicy ?? DEFAULT_TIME_POLICY;
  const zone = zoneOf(d.facility, d.zoneId);
  const facts: ScanFacts = {
    scanId: d.scanId,
    facilityId: d.facility.id,
    facilityType: d.facility.type,
    zoneId: zone?.id ?? null,
    zoneKind: zone?.kind ?? null,
    occurredAt: iso(d.occurredAt, 'occurredAt'),
    temperatureC: d.temperatureC,
  };
  notInFuture(facts.occurredAt, 'occurredAt', now);
  notBeforeEntry(facts.occurredAt, 'occurredAt', state.enteredAt, policy.scanToleranceMs);
  if (d.toFacility && d.action !== 'DISPATCH') {
    throw invalid('VALIDATION_FAILED', 'toFacilityId is only for a DISPATCH scan', { field: 'toFacilityId' });
  }
  const quantity = state.quantity!;
  if ((d.quantityUnit ?? null) !== null && d.quantity === null) {
    throw invalid('VALIDATION_FAILED', 'unit states the unit of quantity; it needs a quantity', { field: 'unit' });
  }
  if (d.quantity !== null) {
    if (d.quantityUnit && d.quantityUnit !== quantity.unit) {
      throw ruleViolated('UNIT_MISMATCH', `lot ${state.traceCode} is counted in ${quantity.unit}; the scan states ${d.quantityUnit}`, {
        unit: quantity.unit,
        stated: d.quantityUnit,
      });
    }
    if (!isValidAmount(d.quantity, quantity.unit)) {
      throw invalid('INVALID_QUANTITY', `${d.quantity} is not a valid amount of ${quantity.unit}`, { field: 'quantity' });
    }
    if (d.quantity > quantity.remaining && d.action !== 'SELL') {
      throw ruleViolated('QUANTITY_EXCEEDS_REMAINING', `${d.quantity} ${quantity.unit} exceeds the ${quantity.remaining} ${quantity.unit} that remain`, {
        remaining: quantity.remaining,
      });
    }
  }
  notBeforeArrival(state, d, facts.occurredAt);
  const vehicle = d.vehicle ? { plate: d.vehicle.plate, disinfectedAt: d.vehicle.disinfectedAt ? iso(d.vehicle.disinfectedAt, 'vehicle.disinfectedAt') : null } : null;
  const move = movementOf(
    { ...facts, toFacilityId: d.toFacility?.id, toFacilityType: d.toFacility?.type, vehicle },
    d.action,
    state.movements.length + 1,
  );
  const found = revealedByAdding(state, move, judgedWith(state, move));
  const flags = complianceFlags(state, facts, d);

  switch (d.action) {
    case 'RECEIVE':
      return [{ type: 'LotReceived', schemaVersion: 1, data: { ...facts, fromFacilityId: stateAt(state, move).inTransit?.fromFacilityId ?? null, vehicle } }, ...found, ...flags];
    case 'STORE':
      if (!zone) throw invalid('VALIDATION_FAILED', 'a STORE scan needs zoneId', { field: 'zoneId' });
      return [{ type: 'LotStored', schemaVersion: 1, data: facts }, ...found, ...flags];
    case 'DISINFECT':
      return [{ type: 'LotDisinfected', schemaVersion: 1, data: { ...facts, vehicle } }, ...found, ...flags];
    case 'SAMPLE':
      return [{ type: 'LotSampled', schemaVersion: 1, data: facts }, ...found, ...flags];
    case 'DISPATCH': {
      const to = d.toFacility;
      if (!to) throw invalid('VALIDATION_FAILED', 'a DISPATCH scan needs toFacilityId', { field: 'toFacilityId' });
      if (to.id === d.facility.id) {
        throw ruleViolated('DISPATCH_TO_SAME_FACILITY', `cannot dispatch from ${to.id} to itself`);
      }
      if (quantity.remaining <= 0) throw ruleViolated('QUANTITY_EXHAUSTED', 'nothing of this lot remains to dispatch');
      if (d.quantity !== null && d.quantity < quantity.remaining) {
        throw ruleViolated('PARTIAL_DISPATCH_NOT_SUPPORTED',
          `a dispatch moves the whole lot (${quantity.remaining} ${quantity.unit}); split the lot to send part of it`);
      }
      const judged = stateAt(state, move);
      const reasons = GATED_DISPATCH_FROM.has(d.facility.type) ? tradeBlockers(judged, now) : lockReasons(judged);
      if (reasons.length > 0) {
        throw ruleViolated('TRADE_BLOCKED', `the lot may not leave ${d.facility.type} ${d.facility.id}`, { reasons });
      }
      return [
        ...found,
        {
          type: 'LotDispatched',
          schemaVersion: 1,
          data: { ...facts, toFacilityId: to.id, toFacilityType: to.type, vehicle, quantity: quantity.remaining },
        },
        ...flags,
      ];
    }
    case 'SELL': {
      if (d.quantity === null) throw invalid('VALIDATION_FAILED', 'a SELL scan needs quantity', { field: 'quantity' });
      const verdict = saleEligibility(stateAt(state, move), now, {
        facilityId: d.facility.id,
        zoneKind: facts.zoneKind,
        quantity: d.quantity,
      });
      if (!verdict.allowed) {
        throw ruleViolated('SALE_BLOCKED', 'this lot may not be sold', { reasons: verdict.reasons });
      }
      return [{ type: 'LotSold', schemaVersion: 1, data: { ...facts, quantity: d.quantity } }, ...flags];
    }
  }
};

/** Portions leave the parent as child lots at the same holder; quantities are conserved. */
const decideSplit = (command: SplitLot, state: LotState, now: Date): LotEvent[] => {
  requireRegistered(state);
  requireNotDestroyed(state);
  const d = command.data;
  if (!state.custody) throw ruleViolated('LOT_IN_TRANSIT', 'a lot in transit cannot be split; receive it first');
  const occurredAt = iso(d.occurredAt, 'occurredAt');
  notInFuture(occurredAt, 'occurredAt', now);
  notBeforeEntry(occurredAt, 'occurredAt', state.enteredAt, (d.timePolicy ?? DEFAULT_TIME_POLICY).scanToleranceMs);
  const q = state.quantity!;
  if (d.children.length === 0) throw invalid('VALIDATION_FAILED', 'a split needs at least one child', { field: 'children' });
  const seen = new Set<string>([state.traceCode!]);
  for (const c of d.children) {
    if (seen.has(c.traceCode)) {
      throw invalid('VALIDATION_FAILED', `child trace code ${c.traceCode} repeats a trace code of this split`, { field: 'children' });
    }
    seen.add(c.traceCode);
    if (!isValidAmount(c.quantity, q.unit)) {
      throw invalid('INVALID_QUANTITY', `${c.quantity} is not a valid amount of ${q.unit}`, { field: 'children.quantity' });
    }
  }
  const total = d.children.reduce((sum, c) => Math.round((sum + c.quantity) * 1000) / 1000, 0);
  if (total > q.remaining) {
    throw ruleViolated('QUANTITY_EXCEEDS_REMAINING', `the children take ${total} ${q.unit} but only ${q.remaining} ${q.unit} remain`, {
      remaining: q.remaining,
    });
  }
  return [
    {
      type: 'LotSplit',
      schemaVersion: 1,
      data: { splitId: d.splitId, children: d.children.map((c) => ({ ...c })), facilityId: state.custody.facilityId, occurredAt },
    },
  ];
};

/** The document as the rules keep it: dates normalised and plausible, result only on a test. */
const plausibleDocument = (input: LotDocument, state: LotState, policy: TimePolicy, now: Date): LotDocument => {
  if ((input.type === 'NUCLEIC_ACID_TEST') !== (input.result !== null)) {
    throw invalid('VALIDATION_FAILED', 'result is required for a NUCLEIC_ACID_TEST and forbidden for other documents', { field: 'result' });
  }
  const document: LotDocument = {
    ...input,
    issuedAt: iso(input.issuedAt, 'issuedAt'),
    validUntil: input.validUntil === null ? null : iso(input.validUntil, 'validUntil'),
  };
  notInFuture(document.issuedAt, 'issuedAt', now);
  if (document.validUntil !== null && document.validUntil <= document.issuedAt) {
    throw invalid('VALIDATION_FAILED', 'validUntil must be after issuedAt', { field: 'validUntil' });
  }
  // A paper "issued" long before the goods entered the country (a test from 2001 for a lot landed last week) is not theirs.
  notBeforeEntry(document.issuedAt, 'issuedAt', state.enteredAt, policy.documentToleranceMs);
  return document;
};

/** The same document number of the same type and issuer on a lot of another genealogy and another import declaration. */
const reuseFlags = (document: LotDocument, alsoOn: readonly DocumentAlsoOn[], attachedAt: string): ComplianceFlagRaised[] => {
  const unrelated = alsoOn.filter((o) => !o.sameGenealogy && !o.sameDeclaration).map((o) => o.traceCode);
  if (unrelated.length === 0) return [];
  return [
    {
      type: 'ComplianceFlagRaised',
      schemaVersion: 2,
      data: {
        flag: 'DOCUMENT_REUSED',
        scanId: null,
        facilityId: null,
        message: `${document.type} ${document.number} of ${document.issuer} is also on lot ${unrelated.join(', ')}, of another genealogy and another import declaration`,
        occurredAt: attachedAt,
      },
    },
  ];
};

const decideAttach = (command: AttachDocument, state: LotState, now: Date): LotEvent[] => {
  requireRegistered(state);
  const document = plausibleDocument(command.data.document, state, command.data.timePolicy ?? DEFAULT_TIME_POLICY, now);
  const existing = state.documents.find((x) => x.type === document.type && x.number === document.number);
  if (existing) {
    if (sameDocument(existing, document)) return []; // a retried upload: nothing new happened
    throw conflict('DOCUMENT_CONFLICT', `${document.type} ${document.number} is already on file with different content`);
  }
  const attachedAt = now.toISOString();
  const attached: LotEvent = { type: 'DocumentAttached', schemaVersion: 2, data: { document, attachedAt, source: null } };
  const flags = reuseFlags(document, command.data.alsoOn ?? [], attachedAt);
  if (document.result === 'POSITIVE' && !state.lock) {
    return [
      attached,
      {
        type: 'LotLocked',
        schemaVersion: 2,
        data: {
          reason: `nucleic-acid test ${document.number} is POSITIVE`,
          source: 'POSITIVE_TEST',
          documentNumber: document.number,
          lockedAt: attachedAt,
          ancestor: null,
        },
      },
      ...flags,
    ];
  }
  return [attached, ...flags];
};

/**
 * An ancestor's document reaches a descendant that has no valid one of that
 * type on the lines it would complete (its own papers win; a copy already
 * on file is not copied again).
 */
const decideReceiveDocument = (command: ReceiveDocument, state: LotState, now: Date): LotEvent[] => {
  if (!state.registered) return [];
  const { document, source } = command.data;
  const lines = paperLines(state).filter(
    (line) => source.viaParent === null || paperLines(state).length <= 1 || line.from === source.viaParent || line.from?.startsWith(`${source.viaParent}/`),
  );
  const alreadyCovered = lines.every((line) => {
    if (line.documents.some((x) => x.type === document.type && x.number === document.number)) return true;
    const current = currentDocument(line.documents, document.type);
    return current !== null && documentDefects(current, now).length === 0;
  });
  if (alreadyCovered) return [];
  return [{ type: 'DocumentAttached', schemaVersion: 2, data: { document, attachedAt: now.toISOString(), source } }];
};

const decideResolve = (command: ResolveViolation, state: LotState, now: Date): LotEvent[] => {
  requireRegistered(state);
  const d = command.data;
  const target = state.violations.find((v) => v.id === d.violationId);
  const inherited = d.inheritedFrom ?? null;
  // Reaching a descendant: only where it carries that violation, unresolved.
  if (inherited !== null) {
    if (!target || target.status === 'RESOLVED') return [];
  } else {
    if (!target) throw notFound('VIOLATION_NOT_FOUND', `lot ${state.traceCode} has no violation ${d.violationId}`, { violationId: d.violationId });
    if (target.status === 'RESOLVED') {
      throw conflict('VIOLATION_ALREADY_RESOLVED', `violation ${d.violationId} was resolved at ${target.resolution!.resolvedAt}: ${target.resolution!.reason}`, {
        violationId: d.violationId,
      });
    }
  }
  const resolvedAt = now.toISOString();
  const resolved: LotEvent = { type: 'ViolationResolved', schemaVersion: 1, data: { violationId: d.violationId, reason: d.reason, resolvedAt, inheritedFrom: inherited } };
  const c = d.correction;
  if (!c) return [resolved];
  const zone = zoneOf(c.facility, c.zoneId);
  const occurredAt = c.occurredAt === null ? target!.occurredAt : iso(c.occurredAt, 'correction.occurredAt');
  notInFuture(occurredAt, 'correction.occurredAt', now);
  notBeforeEntry(occurredAt, 'correction.occurredAt', state.enteredAt, 0);
  const corrected: CustodyCorrected = {
    type: 'CustodyCorrected',
    schemaVersion: 1,
    data: {
      correctionId: c.correctionId,
      violationId: d.violationId,
      facilityId: c.facility.id,
      facilityType: c.facility.type,
      zoneId: zone?.id ?? null,
      zoneKind: zone?.kind ?? null,
      occurredAt,
      reason: d.reason,
      correctedAt: resolvedAt,
    },
  };
  // The correction takes its place on the timeline; anything it now shows in later scans is recorded too.
  const afterResolve = evolveLot(state, resolved);
  const move: Movement = {
    seq: afterResolve.movements.length + 1,
    ref: c.correctionId,
    action: 'CORRECTION',
    facilityId: c.facility.id,
    facilityType: c.facility.type,
    zoneId: zone?.id ?? null,
    zoneKind: zone?.kind ?? null,
    occurredAt,
    to: null,
  };
  return [resolved, ...revealedByAdding(afterResolve, move, judgedWith(afterResolve, move)), corrected];
};

/** The record of a finding, for the lot it was found on. */
export const temperatureFinding = (
  category: Parameters<typeof findingMessage>[0],
  finding: TemperatureExcursion | (TemperatureGap & { kind: 'GAP' }),
  rules: TemperatureRules,
  upload: { uploadId: string; facilityId: string | null },
): TemperatureFindingRecorded => ({
  type: 'TemperatureFindingRecorded',
  schemaVersion: 1,
  data: {
    kind: finding.kind,
    violationId: finding.kind === 'ABUSE' ? temperatureAbuseId(finding.from) : null,
    uploadId: upload.uploadId,
    facilityId: upload.facilityId,
    from: finding.from,
    to: finding.to,
    minutes: finding.kind === 'GAP' ? finding.minutes : finding.durationMinutes,
    extremeCelsius: finding.kind === 'GAP' ? null : finding.extremeCelsius,
    message: findingMessage(category, finding, rules),
    occurredAt: finding.from,
  },
});

/**
 * An upload of a device's log: the readings the log does not hold yet
 * (none: a resend, nothing recorded), summarised in one event, then the
 * whole log (inherited part, earlier uploads, this one) judged again: what
 * it shows that nothing on record did is recorded. Late uploads are judged
 * on the timeline like any other, since the log is judged whole.
 */
export const decideTemperatureLog = (command: RecordTemperatures, state: LotState, now: Date): { events: LotEvent[]; fresh: TemperatureReading[] } => {
  requireRegistered(state);
  const d = command.data;
  if (d.readings.length === 0) throw invalid('VALIDATION_FAILED', 'readings must hold at least one reading', { field: 'readings' });
  const upload: TemperatureReading[] = d.readings.map((r, i) => {
    const at = iso(r.at, `readings[${i}].at`);
    notInFuture(at, `readings[${i}].at`, now);
    return { deviceId: d.deviceId, at, celsius: r.celsius };
  });
  const fresh = readingsNotIn(d.log, upload);
  if (fresh.length === 0) return { events: [], fresh };
  const category = state.product!.category;
  const found = newFindings(judgeTemperatures(category, [...d.log, ...fresh], d.rules), state.temperatureFindings);
  const summary = summariseUpload(fresh);
  const where = { uploadId: d.uploadId, facilityId: d.facilityId };
  const events: LotEvent[] = [
    { type: 'TemperaturesRecorded', schemaVersion: 1, data: { uploadId: d.uploadId, deviceId: d.deviceId, facilityId: d.facilityId, ...summary, occurredAt: summary.firstAt, recordedAt: now.toISOString() } },
    ...found.excursions.map((e) => temperatureFinding(category, e, d.rules, where)),
    ...found.gaps.map((g) => temperatureFinding(category, { ...g, kind: 'GAP' as const }, d.rules, where)),
  ];
  // The new readings too: what the caller keeps beside the event (normalised here, once).
  return { events, fresh };
};

export const lotDecider: Decider<SingleLotCommand, LotEvent, LotState> = {
  initialState: initialLotState,
  evolve: evolveLot,
  decide: (command, state, now) => {
    switch (command.type) {
      case 'RegisterLot': {
        const d = command.data;
        if (state.registered) throw conflict('LOT_EXISTS', `lot ${d.traceCode} is already registered`, { traceCode: d.traceCode });
        if (d.portOfEntry.type !== 'PORT_OF_ENTRY') {
          throw ruleViolated('FACILITY_TYPE_MISMATCH', `facility ${d.portOfEntry.id} is a ${d.portOfEntry.type}, not a PORT_OF_ENTRY`, {
            field: 'portOfEntryId',
          });
        }
        const enteredAt = iso(d.enteredAt, 'enteredAt');
        notInFuture(enteredAt, 'enteredAt', now);
        if (!isValidAmount(d.quantity.amount, d.quantity.unit)) {
          throw invalid('INVALID_QUANTITY', `${d.quantity.amount} is not a valid amount of ${d.quantity.unit}`, { field: 'quantity.amount' });
        }
        // A GTIN makes the trace code the product's GS1 batch/lot (AI 10): the code on the pack is then a GS1 Digital Link.
        const gtin = d.product.gtin === undefined ? undefined : normaliseGtin(d.product.gtin);
        if (gtin !== undefined && !isBatchLot(d.traceCode)) {
          throw invalid('VALIDATION_FAILED', `a lot with a GTIN is its GS1 batch/lot: traceCode must be at most ${BATCH_LOT_MAX_LENGTH} characters`, { field: 'traceCode' });
        }
        return [
          {
            type: 'LotRegistered',
            // Still 1: product.gtin is optional, absent on older events and on lots without one.
            schemaVersion: 1,
            data: {
              traceCode: d.traceCode,
              product: { name: d.product.name, category: d.product.category, ...(gtin === undefined ? {} : { gtin }) },
              originCountry: d.originCountry.toUpperCase(),
              importer: d.importer,
              quantity: { amount: d.quantity.amount, unit: d.quantity.unit },
              portOfEntryId: d.portOfEntry.id,
              enteredAt,
            },
          },
        ];
      }
      case 'AttachDocument':
        return decideAttach(command, state, now);
      case 'ReceiveDocument':
        return decideReceiveDocument(command, state, now);
      case 'ResolveViolation':
        return decideResolve(command, state, now);
      case 'RecordScan':
        return decideScan(command, state, now);
      case 'LockLot': {
        requireRegistered(state);
        const { reason, ancestor = null } = command.data;
        if (ancestor !== null) {
          if (state.ancestorLocks.some((l) => l.ancestor === ancestor)) return [];
        } else if (state.lock) {
          throw conflict('LOT_ALREADY_LOCKED', `the lot is already locked: ${state.lock.reason}`);
        }
        return [
          {
            type: 'LotLocked',
            schemaVersion: 2,
            data: { reason, source: 'REGULATOR', documentNumber: null, lockedAt: now.toISOString(), ancestor },
          },
        ];
      }
      case 'UnlockLot': {
        requireRegistered(state);
        const { reason, ancestor = null } = command.data;
        if (ancestor !== null) {
          if (!state.ancestorLocks.some((l) => l.ancestor === ancestor)) return [];
        } else if (!state.lock) {
          throw conflict('LOT_NOT_LOCKED', 'the lot is not locked');
        }
        return [{ type: 'LotUnlocked', schemaVersion: 2, data: { reason, unlockedAt: now.toISOString(), ancestor } }];
      }
      case 'RecallLot': {
        requireRegistered(state);
        const d = command.data;
        if (state.recalls.some((r) => r.recallId === d.recallId)) return [];
        return [
          {
            type: 'LotRecalled',
            schemaVersion: 1,
            data: { ...d, recalledAt: now.toISOString(), holderFacilityId: whereabouts(state) },
          },
        ];
      }
      case 'DestroyLot':
        requireRegistered(state);
        if (state.destroyed) throw conflict('LOT_ALREADY_DESTROYED', `the lot was already destroyed at ${state.destroyed.destroyedAt}`);
        return [
          {
            type: 'LotDestroyed',
            schemaVersion: 1,
            data: { reason: command.data.reason, destroyedAt: now.toISOString(), holderFacilityId: whereabouts(state) },
          },
        ];
      case 'SplitLot':
        return decideSplit(command, state, now);
      case 'RecordTemperatures':
        return decideTemperatureLog(command, state, now).events;
    }
  },
};
