import { Decider } from '../shared/decider';
import { conflict, invalid, notFound, ruleViolated } from '../shared/domain-error';
import { FacilityRef, Zone } from '../facility/facility.types';
import { LotCommand, RecordScan } from './lot.commands';
import { LotEvent, ScanFacts, TraceViolationRecorded } from './lot.events';
import { evolveLot, initialLotState, LotState } from './lot.state';
import { isValidAmount } from './quantity';
import { lockReasons, saleEligibility, tradeBlockers } from './sale-eligibility.policy';
import { LotDocument, TraceViolationKind } from './lot.types';

/** Trading onwards out of these facilities needs the full set of papers and an unbroken trace. */
const GATED_DISPATCH_FROM = new Set(['CENTRAL_WAREHOUSE', 'WHOLESALE_MARKET']);
/** Goods may only reach these after passing a central warehouse (总仓). */
const DOWNSTREAM_OF_WAREHOUSE = new Set(['WHOLESALE_MARKET', 'RETAIL_STORE']);

/** Times outside this window are typos or attacks, not cold-chain events (and would overflow storage). */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const LATEST = Date.parse('2100-01-01T00:00:00Z');

const iso = (value: string, field: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid('VALIDATION_FAILED', `${field} is not a valid date-time`, { field });
  if (t < EARLIEST || t >= LATEST) {
    throw invalid('VALIDATION_FAILED', `${field} must fall between 2000-01-01 and 2100-01-01`, { field });
  }
  return new Date(t).toISOString();
};

/** Scanner clocks drift; beyond this a scan from the future is a malformed request. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const notInFuture = (value: string, field: string, now: Date): void => {
  if (Date.parse(value) > now.getTime() + CLOCK_SKEW_MS) {
    throw invalid('VALIDATION_FAILED', `${field} ${value} is in the future`, { field });
  }
};

const requireRegistered = (state: LotState): void => {
  if (!state.registered) throw notFound('LOT_NOT_FOUND', 'no lot with this trace code is registered');
};

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

const decideScan = (command: RecordScan, state: LotState, now: Date): LotEvent[] => {
  requireRegistered(state);
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

  switch (d.action) {
    case 'RECEIVE':
      return [{ type: 'LotReceived', schemaVersion: 1, data: { ...facts, fromFacilityId: state.inTransit?.fromFacilityId ?? null, vehicle } }, ...found];
    case 'STORE':
      if (!zone) throw invalid('VALIDATION_FAILED', 'a STORE scan needs zoneId', { field: 'zoneId' });
      return [{ type: 'LotStored', schemaVersion: 1, data: facts }, ...found];
    case 'DISINFECT':
      return [{ type: 'LotDisinfected', schemaVersion: 1, data: { ...facts, vehicle } }, ...found];
    case 'SAMPLE':
      return [{ type: 'LotSampled', schemaVersion: 1, data: facts }, ...found];
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
      return [{ type: 'LotSold', schemaVersion: 1, data: { ...facts, quantity: d.quantity } }];
    }
  }
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
              schemaVersion: 1,
              data: {
                reason: `nucleic-acid test ${document.number} is POSITIVE`,
                source: 'POSITIVE_TEST',
                documentNumber: document.number,
                lockedAt: now.toISOString(),
              },
            },
          ];
        }
        return [attached];
      }
      case 'RecordScan':
        return decideScan(command, state, now);
      case 'LockLot':
        requireRegistered(state);
        if (state.lock) throw conflict('LOT_ALREADY_LOCKED', `the lot is already locked: ${state.lock.reason}`);
        return [
          {
            type: 'LotLocked',
            schemaVersion: 1,
            data: { reason: command.data.reason, source: 'REGULATOR', documentNumber: null, lockedAt: now.toISOString() },
          },
        ];
      case 'UnlockLot':
        requireRegistered(state);
        if (!state.lock) throw conflict('LOT_NOT_LOCKED', 'the lot is not locked');
        return [{ type: 'LotUnlocked', schemaVersion: 1, data: { reason: command.data.reason, unlockedAt: now.toISOString() } }];
    }
  },
};
