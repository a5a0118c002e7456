import { invalid } from '../shared/domain-error';
import { LotEvent, LotEventType } from './lot.events';
import { TraceViolationKind } from './lot.types';

/** Every lot event type and the schema versions this code understands. */
const KNOWN: Record<LotEventType, readonly number[]> = {
  LotRegistered: [1],
  DocumentAttached: [1, 2],
  LotLocked: [1, 2],
  LotUnlocked: [1, 2],
  LotReceived: [1],
  LotStored: [1],
  LotDisinfected: [1],
  LotSampled: [1],
  LotDispatched: [1],
  LotSold: [1],
  TraceViolationRecorded: [1],
  LotSplit: [1],
  LotMerged: [1],
  LotDerived: [1, 2, 3],
  LotRecalled: [1],
  LotDestroyed: [1],
  ComplianceFlagRaised: [1, 2],
  ViolationResolved: [1],
  CustodyCorrected: [1],
  TemperaturesRecorded: [1],
  TemperatureFindingRecorded: [1],
};

/** The current schema version of each type: what the deciders write and evolve reads. */
const CURRENT: Partial<Record<LotEventType, number>> = { DocumentAttached: 2, LotLocked: 2, LotUnlocked: 2, LotDerived: 3, ComplianceFlagRaised: 2 };

interface V1InheritedViolation {
  kind: TraceViolationKind;
  facilityId: string;
  message: string;
  occurredAt: string;
}

type Upgrade = (data: Record<string, unknown>) => Record<string, unknown>;

/** v1 inherited violations had no id and no status: open, named by where and when they happened. */
const violationsWithIds: Upgrade = (d) => ({
  ...d,
  violations: (d.violations as V1InheritedViolation[]).map((v) => ({
    id: `${v.facilityId}.${v.occurredAt}.${v.kind}`,
    kind: v.kind,
    scanId: null,
    facilityId: v.facilityId,
    message: v.message,
    occurredAt: v.occurredAt,
    status: 'OPEN',
    resolution: null,
  })),
});

/**
 * v2 held one origin country and one importer, a mixed merge's joined with
 * commas. Country codes are two letters, so they split back exactly; an
 * importer's name may hold a comma itself, so a joined one stays one entry.
 */
const originLists: Upgrade = ({ originCountry, importer, ...d }) => ({
  ...d,
  originCountries: String(originCountry).split(','),
  importers: [String(importer)],
});

/** Older schema versions, brought to the current shape one step at a time: UPGRADE[type][v] takes v to v + 1. */
const UPGRADE: Partial<Record<LotEventType, Readonly<Record<number, Upgrade>>>> = {
  // v1 locks and unlocks were always the lot's own: no ancestor.
  LotLocked: { 1: (d) => ({ ...d, ancestor: null }) },
  LotUnlocked: { 1: (d) => ({ ...d, ancestor: null }) },
  // v1 documents were always attached to the lot itself.
  DocumentAttached: { 1: (d) => ({ ...d, source: null }) },
  // v1 flags always came from a scan: same fields, now nullable.
  ComplianceFlagRaised: { 1: (d) => d },
  LotDerived: { 1: violationsWithIds, 2: originLists },
};

/**
 * Turns a stored event back into a domain event, upgrading old schema
 * versions here so evolve only ever sees the current shape.
 */
export const toLotEvent = (type: string, schemaVersion: number, data: unknown): LotEvent => {
  // Own keys only: 'toString' or '__proto__' are not event types.
  const versions = Object.hasOwn(KNOWN, type) ? (KNOWN as Record<string, readonly number[]>)[type] : undefined;
  if (!versions || !versions.includes(schemaVersion)) {
    throw invalid('UNKNOWN_EVENT', `cannot read lot event ${type} v${schemaVersion}`);
  }
  if (typeof data !== 'object' || data === null) throw invalid('UNKNOWN_EVENT', `lot event ${type} has no data`);
  const current = CURRENT[type as LotEventType] ?? 1;
  if (schemaVersion === current) return { type, schemaVersion, data } as LotEvent;
  const steps = UPGRADE[type as LotEventType]!;
  let upgraded = data as Record<string, unknown>;
  for (let v = schemaVersion; v < current; v++) upgraded = steps[v](upgraded);
  return { type, schemaVersion: current, data: upgraded } as LotEvent;
};
