import { Decider } from '../shared/decider';
import { conflict, invalid, notFound, ruleViolated } from '../shared/domain-error';
import { FacilityRef, Zone } from '../facility/facility.types';
import { LotCommand, RecordScan, SplitLot } from './lot.commands';
import { ComplianceFlagRaised, LotEvent, ScanFacts, TraceViolationRecorded } from './lot.events';
import { evolveLot, initialLotState, LotState } from './lot.state';
import { isValidAmount } from './quantity';
import { iso, notInFuture } from './time';
import { lockReasons, saleEligibility, tradeBlockers } from './sale-eligibility.policy';
import { ComplianceFlagKind, LotDocument, TraceViolationKind } from './lot.types';

/** Trading onwards out of these facilities needs the full set of papers and an unbroken trace. */
const GATED_DISPATCH_FROM = new Set(['CENTRAL_WAREHOUSE', 'WHOLESALE_MARKET']);
/** Goods may only reach these after passing a central warehouse (总仓). */
const DOWNSTREAM_OF_WAREHOUSE = new Set(['WHOLESALE_MARKET', 'RETAIL_STORE']);

const requireRegistered = (state: LotState): void => {
  if (!state.registered) throw notFound('LOT_NOT_FOUND', 'no lot with this trace code is registered');
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

const violation = (facts: ScanFacts, kind: TraceViolationKind, message: string): TraceViolationRecorded => ({
  type: 'TraceViolationRecorded',
  schemaVersion: 1,
  data: { kind, scanId: facts.scanId, facilityId: facts.facilityId, message, occurredAt: facts.occurredAt },
});

/** What a scan at this facility reveals about the custody chain. Scans are facts: violations are recorded, not refused. */
const custodyViolations = (state: LotState, facts: ScanFacts, action: RecordScan['data']['action']): TraceViolationRecorded[] => {
  const found: TraceViolationRecorded[] = [];
  const here = facts.facilityId;
  if (state.inTransit) {
    if (action === 'RECEIVE' && state.inTransit.toFacilityId !== here) {
      found.push(violation(facts, 'RECEIPT_WITHOUT_DISPATCH',
        `received at ${here}, but it was dispatched from ${state.inTransit.fromFacilityId} to ${state.inTransit.toFacilityId}`));
    } else if (action !== 'RECEIVE') {
      found.push(violation(facts, 'CUSTODY_GAP',
        `${action} scanned at ${here} while the lot was in transit to ${state.inTransit.toFacilityId}; no receipt was scanned`));
    }
  } else if (state.custody && state.custody.facilityId !== here) {
    found.push(action === 'RECEIVE'
      ? violation(facts, 'RECEIPT_WITHOUT_DISPATCH', `received at ${here}, but no dispatch from ${state.custody.facilityId} was scanned`)
      : violation(facts, 'CUSTODY_GAP', `${action} scanned at ${here} while the lot was held by ${state.custody.facilityId}`));
  }
  const arrivesHere = state.custody?.facilityId !== here;
  const alreadyFlagged = state.violations.some((v) => v.kind === 'CENTRAL_WAREHOUSE_BYPASSED');
  if (arrivesHere && DOWNSTREAM_OF_WAREHOUSE.has(facts.facilityType) && !state.passedCentralWarehouse && !alreadyFlagged) {
    found.push(violation(facts, 'CENTRAL_WAREHOUSE_BYPASSED',
      `reached ${facts.facilityType} ${here} without passing a central warehouse`));
  }
  return found;
};

/** 三专 and the cold chain: facts worth a regulator's eye that do not block on their own. */
const complianceFlags = (state: LotState, facts: ScanFacts, d: RecordScan['data']): ComplianceFlagRaised[] => {
  const raised: ComplianceFlagRaised[] = [];
  const flag = (kind: ComplianceFlagKind, message: string) =>
    raised.push({
      type: 'ComplianceFlagRaised',
      schemaVersion: 1,
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
  const limit = state.product ? d.temperatureLimits[state.product.category] : undefined;
  if (facts.temperatureC !== null && limit !== undefined && facts.temperatureC > limit) {
    flag('TEMPERATURE_EXCURSION', `${facts.temperatureC} °C at ${facts.facilityId}, above the ${limit} °C limit for ${state.product!.category}`);
  }
  return raised;
};

const decideScan = (command: RecordScan, state: LotState, now: Date): LotEvent[] => {
  requireRegistered(state);
  requireNotDestroyed(state);
  const d = command.data;
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
  if (d.toFacility && d.action !== 'DISPATCH') {
    throw invalid('VALIDATION_FAILED', 'toFacilityId is only for a DISPATCH scan', { field: 'toFacilityId' });
  }
  const quantity = state.quantity!;
  if (d.quantity !== null) {
    if (!isValidAmount(d.quantity, quantity.unit)) {
      throw invalid('INVALID_QUANTITY', `${d.quantity} is not a valid amount of ${quantity.unit}`, { field: 'quantity' });
    }
    if (d.quantity > quantity.remaining && d.action !== 'SELL') {
      throw ruleViolated('QUANTITY_EXCEEDS_REMAINING', `${d.quantity} ${quantity.unit} exceeds the ${quantity.remaining} ${quantity.unit} that remain`, {
        remaining: quantity.remaining,
      });
    }
  }
  const vehicle = d.vehicle ? { plate: d.vehicle.plate, disinfectedAt: d.vehicle.disinfectedAt ? iso(d.vehicle.disinfectedAt, 'vehicle.disinfectedAt') : null } : null;
  const found = custodyViolations(state, facts, d.action);
  const flags = complianceFlags(state, facts, d);

  switch (d.action) {
    case 'RECEIVE':
      return [{ type: 'LotReceived', schemaVersion: 1, data: { ...facts, fromFacilityId: state.inTransit?.fromFacilityId ?? null, vehicle } }, ...found, ...flags];
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
      const judged = found.reduce(evolveLot, state);
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
      const judged = found.reduce(evolveLot, state);
      const verdict = saleEligibility(judged, now, {
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

export const lotDecider: Decider<LotCommand, LotEvent, LotState> = {
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
        return [
          {
            type: 'LotRegistered',
            schemaVersion: 1,
            data: {
              traceCode: d.traceCode,
              product: { name: d.product.name, category: d.product.category },
              originCountry: d.originCountry.toUpperCase(),
              importer: d.importer,
              quantity: { amount: d.quantity.amount, unit: d.quantity.unit },
              portOfEntryId: d.portOfEntry.id,
              enteredAt,
            },
          },
        ];
      }
      case 'AttachDocument': {
        requireRegistered(state);
        const input = command.data.document;
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
        const existing = state.documents.find((x) => x.type === document.type && x.number === document.number);
        if (existing) {
          if (sameDocument(existing, document)) return []; // a retried upload: nothing new happened
          throw conflict('DOCUMENT_CONFLICT', `${document.type} ${document.number} is already on file with different content`);
        }
        const attached: LotEvent = { type: 'DocumentAttached', schemaVersion: 1, data: { document, attachedAt: now.toISOString() } };
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
                lockedAt: now.toISOString(),
                ancestor: null,
              },
            },
          ];
        }
        return [attached];
      }
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
    }
  },
};
