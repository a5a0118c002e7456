import { FacilityType } from '../facility/facility.types';
import { judge, Judged, startOf, step } from './custody-timeline';
import { LotEvent, ScanFacts } from './lot.events';
import {
  AncestorLock,
  ComplianceFlag,
  Custody,
  Destruction,
  FoundViolation,
  LotDocument,
  LotLock,
  LotPortion,
  Movement,
  PaperLine,
  Product,
  QuantityUnit,
  RecallRecord,
  RouteStop,
  ScanAction,
  TimelineOrigin,
  Transit,
  TraceViolation,
  Vehicle,
  violationId,
  ViolationResolution,
} from './lot.types';
import { subtractQuantity } from './quantity';
import { MovementLog } from './movement-log';
import { TemperatureFinding } from './temperature.rules';

/** What the lot's own temperature uploads hold, summed (null before its first). */
export interface TemperatureLogSummary {
  readonly uploads: number;
  readonly readings: number;
  readonly minCelsius: number;
  readonly maxCelsius: number;
  readonly firstAt: string;
  readonly lastAt: string;
}

/** Everything the rules need to judge a lot, folded from its own events only. Plain JSON. */
export interface LotState {
  readonly registered: boolean;
  readonly traceCode: string | null;
  readonly product: Product | null;
  /** Where the goods came from: one country for a registered lot, every parent's for a merged one (distinct, parents' order). */
  readonly originCountries: readonly string[];
  /** Who imported them, likewise. */
  readonly importers: readonly string[];
  readonly quantity: { readonly initial: number; readonly remaining: number; readonly unit: QuantityUnit } | null;
  readonly portOfEntryId: string | null;
  readonly enteredAt: string | null;
  /** Who holds the lot now, by the timeline; null while it is in transit. */
  readonly custody: Custody | null;
  readonly inTransit: Transit | null;
  readonly passedCentralWarehouse: boolean;
  readonly route: readonly RouteStop[];
  readonly documents: readonly LotDocument[];
  /** Every violation on record or shown by the timeline, with its status; only OPEN ones block. */
  readonly violations: readonly TraceViolation[];
  /** The lot's own lock (a positive test or a regulator). */
  readonly lock: LotLock | null;
  /** Locks placed on ancestors that reached this lot. */
  readonly ancestorLocks: readonly AncestorLock[];
  readonly recalls: readonly RecallRecord[];
  readonly destroyed: Destruction | null;
  /** The lots this one was split or repacked from (empty for an import lot). */
  readonly parents: readonly LotPortion[];
  readonly children: readonly LotPortion[];
  /** Papers inherited from the parents, one line per parent line; own `documents` add to every line. */
  readonly inheritedPaperLines: readonly PaperLine[];
  readonly flags: readonly ComplianceFlag[];
  readonly lastActivityAt: string | null;
  /** Where the lot's own timeline starts (registration, or its making by a split or merge). */
  readonly origin: TimelineOrigin | null;
  /** Scans and corrections in recorded order; custody and violations are judged from them in time order. */
  readonly movements: MovementLog;
  /** The latest time of a scan or correction: one dated before it arrived out of order. */
  readonly lastMovementAt: string | null;
  /** What the timeline shows now (custody, route and the violations it reveals). */
  readonly judged: Judged | null;
  /** Violations inherited from the parents when the lot was made. */
  readonly inheritedViolations: readonly TraceViolation[];
  /** Violations recorded by TraceViolationRecorded events (scans judged as they arrived). */
  readonly recordedViolations: readonly FoundViolation[];
  readonly resolutions: readonly ({ readonly violationId: string } & ViolationResolution)[];
  readonly temperatureLog: TemperatureLogSummary | null;
  /** Excursions, abuses and gaps its temperature log (inherited part included) was found to show, each once. */
  readonly temperatureFindings: readonly TemperatureFinding[];
  /** Its own TEMPERATURE_ABUSE violations: shown until resolved (readings are facts no later upload explains away). */
  readonly temperatureAbuses: readonly FoundViolation[];
}

export const initialLotState = (): LotState => ({
  registered: false,
  traceCode: null,
  product: null,
  originCountries: [],
  importers: [],
  quantity: null,
  portOfEntryId: null,
  enteredAt: null,
  custody: null,
  inTransit: null,
  passedCentralWarehouse: false,
  route: [],
  documents: [],
  violations: [],
  lock: null,
  ancestorLocks: [],
  recalls: [],
  destroyed: null,
  parents: [],
  children: [],
  inheritedPaperLines: [],
  flags: [],
  lastActivityAt: null,
  origin: null,
  movements: MovementLog.EMPTY,
  lastMovementAt: null,
  judged: null,
  inheritedViolations: [],
  recordedViolations: [],
  resolutions: [],
  temperatureLog: null,
  temperatureFindings: [],
  temperatureAbuses: [],
});

/** The paper lines a lot trades on: each inherited line completed by the lot's own documents. */
export const paperLines = (state: LotState): PaperLine[] =>
  state.inheritedPaperLines.length === 0
    ? [{ from: null, documents: state.documents }]
    : state.inheritedPaperLines.map((line) => ({ from: line.from, documents: [...line.documents, ...state.documents] }));

/** What every lock says, own and inherited; empty = not locked. */
export const isLocked = (state: LotState): boolean => state.lock !== null || state.ancestorLocks.length > 0;

/** The violations that block: on record or shown by the timeline, and not resolved. */
export const openViolations = (state: LotState): TraceViolation[] => state.violations.filter((v) => v.status === 'OPEN');

/** Inherited, then shown by the timeline, then recorded but no longer shown (explained by a late scan); resolutions applied. */
const violationList = (s: Pick<LotState, 'judged' | 'inheritedViolations' | 'recordedViolations' | 'resolutions' | 'temperatureAbuses'>): TraceViolation[] => {
  const resolution = (id: string) => {
    const r = s.resolutions.find((x) => x.violationId === id);
    return r ? { reason: r.reason, resolvedAt: r.resolvedAt } : null;
  };
  const seen = new Set<string>();
  const list: TraceViolation[] = [];
  const add = (v: FoundViolation, shown: boolean, inherited: ViolationResolution | null = null) => {
    if (seen.has(v.id)) return;
    seen.add(v.id);
    const resolved = resolution(v.id) ?? inherited;
    list.push({ ...v, status: resolved ? 'RESOLVED' : shown ? 'OPEN' : 'EXPLAINED', resolution: resolved });
  };
  for (const v of s.inheritedViolations) add(v, v.status === 'OPEN', v.resolution);
  for (const v of s.judged?.found ?? []) add(v, true);
  for (const v of s.temperatureAbuses) add(v, true);
  for (const v of s.recordedViolations) add(v, false);
  return list;
};

/** A bypass is named once per lot, whether inherited or found on its own timeline. */
const bypassInherited = (s: Pick<LotState, 'inheritedViolations'>): boolean => s.inheritedViolations.some((v) => v.kind === 'CENTRAL_WAREHOUSE_BYPASSED');

/** Re-judges the timeline with one more movement: a step when it is the latest, a replay when it arrived out of order. */
const withMovement = (state: LotState, m: Movement): LotState => {
  const movements = state.movements.with(m);
  const inOrder = m.occurredAt >= (state.lastMovementAt ?? state.origin!.at);
  const judged = inOrder && state.judged ? step(state.judged, m, bypassInherited(state)) : judge(state.origin!, movements.toArray(), bypassInherited(state));
  return {
    ...state,
    movements,
    judged,
    lastMovementAt: state.lastMovementAt === null || m.occurredAt > state.lastMovementAt ? m.occurredAt : state.lastMovementAt,
    lastActivityAt: state.lastActivityAt === null || m.occurredAt > state.lastActivityAt ? m.occurredAt : state.lastActivityAt,
    custody: judged.custody,
    inTransit: judged.inTransit,
    route: judged.route,
    passedCentralWarehouse: judged.passedCentralWarehouse,
    // What violationList reads is unchanged when the step found nothing new: the same list (most scans).
    violations: judged.found === state.judged?.found ? state.violations : violationList({ ...state, judged }),
  };
};

/** Copies what the timeline says into the fields every reader uses. */
const withJudgement = (state: LotState): LotState => ({
  ...state,
  custody: state.judged?.custody ?? null,
  inTransit: state.judged?.inTransit ?? null,
  route: state.judged?.route ?? [],
  passedCentralWarehouse: state.judged?.passedCentralWarehouse ?? false,
  violations: violationList(state),
});

/** The lot as this judgement of its timeline has it (e.g. as it stood at some point of it). */
export const judgedAs = (state: LotState, judged: Judged): LotState => withJudgement({ ...state, judged });

const startTimeline = (state: LotState, origin: TimelineOrigin): LotState =>
  withJudgement({ ...state, origin, movements: MovementLog.EMPTY, lastMovementAt: null, judged: startOf(origin) });

/** The movement a scan event puts on the timeline. */
export const movementOf = (e: ScanFacts & { toFacilityId?: string; toFacilityType?: FacilityType; vehicle?: Vehicle | null }, action: ScanAction, seq: number): Movement => ({
  seq,
  ref: e.scanId,
  action,
  facilityId: e.facilityId,
  facilityType: e.facilityType,
  zoneId: e.zoneId,
  zoneKind: e.zoneKind,
  occurredAt: e.occurredAt,
  to: action === 'DISPATCH' && e.toFacilityId && e.toFacilityType ? { facilityId: e.toFacilityId, facilityType: e.toFacilityType, vehicle: e.vehicle ?? null } : null,
});

/** The lot events a scan records, and the scan action each records. */
export const SCAN_EVENT_ACTION = {
  LotReceived: 'RECEIVE',
  LotStored: 'STORE',
  LotDisinfected: 'DISINFECT',
  LotSampled: 'SAMPLE',
  LotDispatched: 'DISPATCH',
  LotSold: 'SELL',
} as const satisfies Record<string, ScanAction>;

export const evolveLot = (state: LotState, event: LotEvent): LotState => {
  switch (event.type) {
    case 'LotRegistered': {
      const d = event.data;
      return startTimeline(
        {
          ...state,
          registered: true,
          traceCode: d.traceCode,
          product: d.product,
          originCountries: [d.originCountry],
          importers: [d.importer],
          quantity: { initial: d.quantity.amount, remaining: d.quantity.amount, unit: d.quantity.unit },
          portOfEntryId: d.portOfEntryId,
          enteredAt: d.enteredAt,
          lastActivityAt: d.enteredAt,
        },
        {
          custody: { facilityId: d.portOfEntryId, facilityType: 'PORT_OF_ENTRY', zoneId: null, zoneKind: null, since: d.enteredAt },
          route: [{ facilityId: d.portOfEntryId, facilityType: 'PORT_OF_ENTRY', arrivedAt: d.enteredAt, departedAt: null }],
          passedCentralWarehouse: false,
          at: d.enteredAt,
        },
      );
    }
    case 'DocumentAttached':
      return attachDocument(state, event.data.document, event.data.source?.viaParent ?? null);
    case 'LotLocked': {
      const { ancestor, ...lock } = event.data;
      return ancestor === null
        ? { ...state, lock }
        : { ...state, ancestorLocks: [...state.ancestorLocks, { ancestor, reason: lock.reason, lockedAt: lock.lockedAt }] };
    }
    case 'LotUnlocked':
      return event.data.ancestor === null
        ? { ...state, lock: null }
        : { ...state, ancestorLocks: state.ancestorLocks.filter((l) => l.ancestor !== event.data.ancestor) };
    case 'LotReceived':
    case 'LotStored':
    case 'LotDisinfected':
    case 'LotSampled':
    case 'LotDispatched':
      return withMovement(state, movementOf(event.data, SCAN_EVENT_ACTION[event.type], state.movements.length + 1));
    case 'LotSold': {
      const here = withMovement(state, movementOf(event.data, 'SELL', state.movements.length + 1));
      const q = here.quantity!;
      return { ...here, quantity: { ...q, remaining: subtractQuantity(q.remaining, event.data.quantity) } };
    }
    case 'LotSplit': {
      const q = state.quantity!;
      const remaining = event.data.children.reduce((left, c) => subtractQuantity(left, c.quantity), q.remaining);
      return {
        ...state,
        quantity: { ...q, remaining: remaining === 0 ? 0 : remaining },
        children: [...state.children, ...event.data.children],
        lastActivityAt: event.data.occurredAt,
      };
    }
    case 'LotMerged': {
      const q = state.quantity!;
      return {
        ...state,
        quantity: { ...q, remaining: subtractQuantity(q.remaining, event.data.quantity) },
        children: [...state.children, { traceCode: event.data.intoTraceCode, quantity: event.data.quantity }],
        lastActivityAt: event.data.occurredAt,
      };
    }
    case 'LotDerived': {
      const d = event.data;
      return startTimeline(
        {
          ...state,
          registered: true,
          traceCode: d.traceCode,
          product: d.product,
          originCountries: d.originCountries,
          importers: d.importers,
          quantity: { initial: d.quantity.amount, remaining: d.quantity.amount, unit: d.quantity.unit },
          portOfEntryId: d.portOfEntryId,
          enteredAt: d.enteredAt,
          inheritedPaperLines: d.paperLines,
          inheritedViolations: d.violations,
          ancestorLocks: d.ancestorLocks,
          recalls: d.recalls,
          temperatureFindings: d.temperatureFindings ?? [],
          parents: d.parents,
          lastActivityAt: d.occurredAt,
        },
        { custody: d.custody, route: d.route, passedCentralWarehouse: d.passedCentralWarehouse, at: d.occurredAt },
      );
    }
    case 'LotRecalled': {
      const { recallId, origin, reason, source, recalledAt } = event.data;
      return { ...state, recalls: [...state.recalls, { recallId, origin, reason, source, recalledAt }] };
    }
    case 'LotDestroyed':
      return { ...state, destroyed: { reason: event.data.reason, destroyedAt: event.data.destroyedAt } };
    case 'ComplianceFlagRaised': {
      const { flag, facilityId, message, occurredAt } = event.data;
      return { ...state, flags: [...state.flags, { flag, facilityId, message, occurredAt }] };
    }
    case 'TraceViolationRecorded': {
      const { kind, scanId, facilityId, message, occurredAt } = event.data;
      const recorded: FoundViolation = { id: violationId(scanId, kind), kind, scanId, facilityId, message, occurredAt };
      return withJudgement({ ...state, recordedViolations: [...state.recordedViolations, recorded] });
    }
    case 'ViolationResolved': {
      const { violationId: id, reason, resolvedAt } = event.data;
      return withJudgement({ ...state, resolutions: [...state.resolutions, { violationId: id, reason, resolvedAt }] });
    }
    case 'TemperaturesRecorded': {
      const d = event.data;
      const log = state.temperatureLog;
      return {
        ...state,
        temperatureLog: {
          uploads: (log?.uploads ?? 0) + 1,
          readings: (log?.readings ?? 0) + d.count,
          minCelsius: log ? Math.min(log.minCelsius, d.minCelsius) : d.minCelsius,
          maxCelsius: log ? Math.max(log.maxCelsius, d.maxCelsius) : d.maxCelsius,
          firstAt: log && log.firstAt < d.firstAt ? log.firstAt : d.firstAt,
          lastAt: log && log.lastAt > d.lastAt ? log.lastAt : d.lastAt,
        },
      };
    }
    case 'TemperatureFindingRecorded': {
      const d = event.data;
      const withFinding = { ...state, temperatureFindings: [...state.temperatureFindings, { kind: d.kind, from: d.from, to: d.to }] };
      if (d.kind === 'ABUSE') {
        const abuse: FoundViolation = { id: d.violationId!, kind: 'TEMPERATURE_ABUSE', scanId: null, facilityId: d.facilityId ?? '', message: d.message, occurredAt: d.from };
        return withJudgement({ ...withFinding, temperatureAbuses: [...state.temperatureAbuses, abuse] });
      }
      const flag = d.kind === 'GAP' ? 'TEMPERATURE_LOG_GAP' : 'TEMPERATURE_EXCURSION';
      return { ...withFinding, flags: [...state.flags, { flag, facilityId: d.facilityId, message: d.message, occurredAt: d.from }] };
    }
    case 'CustodyCorrected': {
      const d = event.data;
      const correction: Movement = {
        seq: state.movements.length + 1,
        ref: d.correctionId,
        action: 'CORRECTION',
        facilityId: d.facilityId,
        facilityType: d.facilityType,
        zoneId: d.zoneId,
        zoneKind: d.zoneKind,
        occurredAt: d.occurredAt,
        to: null,
      };
      return withMovement(state, correction);
    }
  }
};

/**
 * A document on file: the lot's own, or (from an ancestor, through one
 * parent of a repacked lot) on that parent's lines only, since it speaks for
 * those goods alone.
 */
const attachDocument = (state: LotState, document: LotDocument, viaParent: string | null): LotState => {
  if (viaParent === null || state.inheritedPaperLines.length <= 1) return { ...state, documents: [...state.documents, document] };
  return {
    ...state,
    inheritedPaperLines: state.inheritedPaperLines.map((line) =>
      line.from === viaParent || line.from?.startsWith(`${viaParent}/`) ? { ...line, documents: [...line.documents, document] } : line,
    ),
  };
};
