import { Principal } from '../access/access.types';
import { loggingFacility, lotNotFound, mayActOnLot, requireActsOnLot } from '../access/lot-scope';
import { FacilityRef } from '../facility/facility.types';
import { conflict } from '../shared/domain-error';
import { decideDocumentAttachment } from './document-attachment';
import { AttachDocument, DocumentAlsoOn, LockLot, RecallLot, RecordScan, RegisterLot, ResolveViolation, SplitLot, UnlockLot } from './lot.commands';
import { decideTemperatureLog, lotDecider, temperatureFinding } from './lot.decider';
import { LotEvent } from './lot.events';
import { decideMerge, deriveSplitChildren } from './lot.genealogy';
import { evolveLot, initialLotState, isLocked, LotState } from './lot.state';
import { ComplianceFlagKind, LotDocument, LotPortion, TraceViolationKind } from './lot.types';
import { iso } from './time';
import { TemperatureFinding, TemperatureReading, TemperatureRules } from './temperature.rules';

/**
 * Every lot command, naming every lot it reads. Commands that reach a
 * family (a lock, a recall, a resolution, a document) carry the family the
 * caller found in the genealogy; the caller loads and locks exactly
 * `lotsRead(command)` and hands their states to `decideLots`.
 */
export type LotFamilyCommand =
  | { readonly type: 'RegisterLot'; readonly data: RegisterLot['data'] }
  | {
      readonly type: 'RecordScan';
      readonly traceCode: string;
      readonly data: RecordScan['data'];
      /** Who scans: an operator only lots at, or on their way to, its facilities at the scan's time. */
      readonly by: Principal;
    }
  | {
      readonly type: 'AttachDocument';
      readonly traceCode: string;
      readonly data: AttachDocument['data'];
      /** Every descendant and the parent it came through (null: every one of its parents). */
      readonly descendants: readonly { readonly traceCode: string; readonly viaParent: string | null }[];
      /** The whole batch (every import lot it descends from and all their descendants), read when the result is POSITIVE. */
      readonly batch: readonly string[];
      readonly recallId: string;
    }
  | {
      readonly type: 'SplitLot';
      readonly traceCode: string;
      readonly data: SplitLot['data'];
      /** Who splits: an operator only lots at, or on their way to, its facilities at the split's time. */
      readonly by: Principal;
    }
  | {
      readonly type: 'MergeLots';
      readonly data: { readonly mergeId: string; readonly traceCode: string; readonly facility: FacilityRef; readonly occurredAt: string; readonly parents: readonly LotPortion[] };
      /** Who repacks: an operator only lots at, or on their way to, its facilities at the merge's time. */
      readonly by: Principal;
    }
  | { readonly type: 'LockLot' | 'UnlockLot'; readonly traceCode: string; readonly reason: string; readonly descendants: readonly string[] }
  | { readonly type: 'RecallLot'; readonly traceCode: string; readonly recallId: string; readonly reason: string; readonly descendants: readonly string[] }
  | { readonly type: 'DestroyLot'; readonly traceCode: string; readonly reason: string }
  | { readonly type: 'ResolveViolation'; readonly traceCode: string; readonly data: ResolveViolation['data']; readonly descendants: readonly string[] }
  | {
      readonly type: 'RecordTemperatures';
      readonly traceCode: string;
      readonly data: {
        readonly uploadId: string;
        readonly deviceId: string;
        readonly readings: readonly { readonly at: string; readonly celsius: number }[];
        readonly rules: TemperatureRules;
        /** The lot's log before this upload, inherited part included (read by the caller in the transaction). */
        readonly log?: readonly TemperatureReading[];
      };
      /** Who uploads: an operator only for lots at, coming from or heading to its facilities when the last reading was taken. */
      readonly by: Principal;
      /** Lots split or repacked from it: an excursion before their making is theirs too. */
      readonly descendants: readonly string[];
    };

/** What a command tells its caller beyond its events. */
export interface LotFamilyOutcomes {
  RegisterLot: null;
  RecordScan: { readonly violations: { kind: TraceViolationKind; message: string }[]; readonly flags: { flag: ComplianceFlagKind; message: string }[] };
  AttachDocument: { readonly locked: boolean; readonly documentReached: number; readonly recall: { recallId: string; lotsRecalled: number } | null };
  SplitLot: { readonly remaining: number };
  MergeLots: { readonly quantity: number; readonly parents: { traceCode: string; quantity: number; remaining: number }[] };
  LockLot: { readonly locked: boolean };
  UnlockLot: { readonly locked: boolean };
  RecallLot: { readonly recallId: string };
  DestroyLot: null;
  ResolveViolation: { readonly correctionId: string | null };
  RecordTemperatures: {
    readonly uploadId: string;
    /** Readings new to the log (recorded), and those it already held (a resend). */
    readonly recorded: number;
    readonly repeated: number;
    /** What this upload showed that nothing on record did. */
    readonly findings: readonly { readonly kind: TemperatureFinding['kind']; readonly from: string; readonly to: string; readonly message: string }[];
    /** The lot is held by a temperature abuse not yet resolved. */
    readonly held: boolean;
    /** Descendants an excursion or abuse reached. */
    readonly lotsReached: number;
    /** The new readings, for the caller to keep beside the event (normalised times). */
    readonly readings: readonly TemperatureReading[];
  };
}

export type LotFamilyOutcome<C extends LotFamilyCommand> = LotFamilyOutcomes[C['type']];

/** The lots a command decides about, with their events (none: left as they are, their versions still checked), and its outcome. */
export interface LotFamilyDecision<O> {
  readonly lots: readonly { readonly traceCode: string; readonly events: readonly LotEvent[] }[];
  readonly outcome: O;
}

/** Every lot the command reads: what the caller loads and locks before deciding. */
export const lotsRead = (command: LotFamilyCommand): string[] => {
  switch (command.type) {
    case 'RegisterLot':
      return [command.data.traceCode];
    case 'RecordScan':
    case 'DestroyLot':
      return [command.traceCode];
    case 'RecordTemperatures':
      return [...new Set([command.traceCode, ...command.descendants])];
    case 'AttachDocument':
      return [...new Set([command.traceCode, ...command.descendants.map((d) => d.traceCode), ...command.batch])];
    case 'SplitLot':
      return [command.traceCode, ...command.data.children.map((c) => c.traceCode)];
    case 'MergeLots':
      return [command.data.traceCode, ...command.data.parents.map((p) => p.traceCode)];
    case 'LockLot':
    case 'UnlockLot':
    case 'RecallLot':
    case 'ResolveViolation':
      return [...new Set([command.traceCode, ...command.descendants])];
  }
};

type Without<C, K extends PropertyKey> = C extends unknown ? Omit<C, K> : never;

/**
 * A lot command as its caller states it, before anything is read: what it
 * reaches through the genealogy (descendants, the batch) and the document
 * index (other lots carrying a document) is for `familyReadsOf` to name and
 * the caller to read inside the command's transaction.
 */
export type LotFamilyRequest = Without<LotFamilyCommand, 'descendants' | 'batch'>;

/** What a command reads beyond the lots it names, inside its transaction. */
export interface FamilyReadPlan {
  /** Its descendants, transitively (with the parent each came through, for a document). */
  readonly descendantsOf: { readonly traceCode: string; readonly withParents: boolean } | null;
  /** Its whole batch: every import lot it descends from and all their descendants. */
  readonly batchOf: string | null;
  /** The other lots carrying this document (the document-reuse rule). */
  readonly documentOf: { readonly traceCode: string; readonly document: LotDocument } | null;
  /** The lot's temperature log, inherited part included. */
  readonly temperatureLogOf: string | null;
}

/** What was read, as the plan asked. */
export interface FamilyReads {
  readonly descendants: readonly { readonly traceCode: string; readonly viaParent: string | null }[];
  readonly batch: readonly string[];
  readonly alsoOn: readonly DocumentAlsoOn[];
  readonly temperatureLog: readonly TemperatureReading[];
}

const NOTHING_MORE: FamilyReadPlan = { descendantsOf: null, batchOf: null, documentOf: null, temperatureLogOf: null };

/** The reads a command needs beyond the lots it names. */
export const familyReadsOf = (request: LotFamilyRequest): FamilyReadPlan => {
  switch (request.type) {
    case 'AttachDocument': {
      const document = request.data.document;
      return {
        descendantsOf: { traceCode: request.traceCode, withParents: true },
        // A POSITIVE test recalls its whole batch.
        batchOf: document.result === 'POSITIVE' ? request.traceCode : null,
        documentOf: { traceCode: request.traceCode, document },
        temperatureLogOf: null,
      };
    }
    case 'RecordTemperatures':
      return { ...NOTHING_MORE, descendantsOf: { traceCode: request.traceCode, withParents: false }, temperatureLogOf: request.traceCode };
    case 'LockLot':
    case 'UnlockLot':
    case 'RecallLot':
    case 'ResolveViolation':
      return { ...NOTHING_MORE, descendantsOf: { traceCode: request.traceCode, withParents: false } };
    default:
      return NOTHING_MORE;
  }
};

/** The command with what was read. */
export const withFamily = (request: LotFamilyRequest, reads: FamilyReads): LotFamilyCommand => {
  switch (request.type) {
    case 'AttachDocument':
      return { ...request, data: { ...request.data, alsoOn: reads.alsoOn }, descendants: reads.descendants, batch: reads.batch };
    case 'LockLot':
    case 'UnlockLot':
    case 'RecallLot':
    case 'ResolveViolation':
      return { ...request, descendants: reads.descendants.map((d) => d.traceCode) } as LotFamilyCommand;
    case 'RecordTemperatures':
      return { ...request, data: { ...request.data, log: reads.temperatureLog }, descendants: reads.descendants.map((d) => d.traceCode) };
    default:
      return request as LotFamilyCommand;
  }
};

type States = ReadonlyMap<string, LotState>;
const stateOf = (lots: States, traceCode: string): LotState => lots.get(traceCode) ?? initialLotState();

/** One lot's command on its own, as the single-lot decider decides it. */
const single = (traceCode: string, events: LotEvent[]) => [{ traceCode, events }];

/** The lot gets `onTarget`, every descendant `onDescendant`: each lot its own events. */
const overFamily = <C extends Parameters<typeof lotDecider.decide>[0]>(
  lots: States,
  traceCode: string,
  descendants: readonly string[],
  onTarget: C,
  onDescendant: C,
  now: Date,
) =>
  [...new Set([traceCode, ...descendants])].map((tc) => ({
    traceCode: tc,
    events: lotDecider.decide(tc === traceCode ? onTarget : onDescendant, stateOf(lots, tc), now),
  }));

/**
 * The one decider of every lot command, over the states of every lot it
 * reads: pure, so a split, a merge, a recall reaching ten thousand lots and a
 * positive test recalling its batch are all decided (and tested) here, and
 * the application only loads, calls this, and appends.
 */
export const decideLots = <C extends LotFamilyCommand>(command: C, lots: States, now: Date): LotFamilyDecision<LotFamilyOutcome<C>> =>
  decide(command, lots, now) as LotFamilyDecision<LotFamilyOutcome<C>>;

const decide = (command: LotFamilyCommand, lots: States, now: Date): LotFamilyDecision<LotFamilyOutcomes[LotFamilyCommand['type']]> => {
  switch (command.type) {
    case 'RegisterLot': {
      const tc = command.data.traceCode;
      return { lots: single(tc, lotDecider.decide({ type: 'RegisterLot', data: command.data }, stateOf(lots, tc), now)), outcome: null };
    }
    case 'RecordScan': {
      const lot = stateOf(lots, command.traceCode);
      // Before any other rule: a refusal must not tell another firm anything about its lot.
      // Unknown and out of reach answer alike, both naming the trace code the scanner sent.
      if (!lot.registered) throw lotNotFound(command.traceCode);
      requireActsOnLot(command.by, lot, iso(command.data.occurredAt, 'occurredAt'), command.traceCode);
      const events = lotDecider.decide({ type: 'RecordScan', data: command.data }, lot, now);
      return {
        lots: single(command.traceCode, events),
        outcome: {
          violations: events.flatMap((e) => (e.type === 'TraceViolationRecorded' ? [{ kind: e.data.kind, message: e.data.message }] : [])),
          flags: events.flatMap((e) => (e.type === 'ComplianceFlagRaised' ? [{ flag: e.data.flag, message: e.data.message }] : [])),
        },
      };
    }
    case 'AttachDocument': {
      const decision = decideDocumentAttachment(
        {
          traceCode: command.traceCode,
          command: { type: 'AttachDocument', data: command.data },
          lots,
          descendants: command.descendants,
          batch: command.batch,
          recallId: command.recallId,
        },
        now,
      );
      return {
        lots: decision.lots,
        outcome: {
          locked: decision.locked,
          documentReached: decision.lots.filter((l) => l.traceCode !== command.traceCode && l.events.some((e) => e.type === 'DocumentAttached')).length,
          recall: decision.recall,
        },
      };
    }
    case 'SplitLot': {
      const parent = stateOf(lots, command.traceCode);
      requireActsOnLot(command.by, parent, iso(command.data.occurredAt, 'occurredAt'));
      const parentEvents = lotDecider.decide({ type: 'SplitLot', data: command.data }, parent, now);
      for (const c of command.data.children) {
        if (stateOf(lots, c.traceCode).registered) throw conflict('LOT_EXISTS', `lot ${c.traceCode} is already registered`, { traceCode: c.traceCode });
      }
      const split = parentEvents.find((e) => e.type === 'LotSplit');
      const children = split ? deriveSplitChildren(parent, split.data) : [];
      return {
        lots: [{ traceCode: command.traceCode, events: parentEvents }, ...children.map((child) => ({ traceCode: child.data.traceCode, events: [child as LotEvent] }))],
        outcome: { remaining: parentEvents.reduce(evolveLot, parent).quantity!.remaining },
      };
    }
    case 'MergeLots': {
      const d = command.data;
      const when = iso(d.occurredAt, 'occurredAt');
      // Each parent the caller may not act on is as unknown as one never registered, and refused at the same point.
      for (const p of d.parents) {
        const parent = stateOf(lots, p.traceCode);
        if (!parent.registered || !mayActOnLot(command.by, parent, when)) throw lotNotFound(p.traceCode);
      }
      const into = stateOf(lots, d.traceCode);
      const decision = decideMerge(
        { mergeId: d.mergeId, traceCode: d.traceCode, facility: d.facility, occurredAt: d.occurredAt, parents: d.parents.map((portion) => ({ portion: { ...portion }, state: stateOf(lots, portion.traceCode) })) },
        into,
        now,
      );
      return {
        lots: [...decision.parents, { traceCode: d.traceCode, events: decision.child }],
        outcome: {
          quantity: decision.child.reduce(evolveLot, into).quantity!.initial,
          parents: decision.parents.map((p) => ({
            traceCode: p.traceCode,
            quantity: d.parents.find((x) => x.traceCode === p.traceCode)!.quantity,
            remaining: p.events.reduce(evolveLot, stateOf(lots, p.traceCode)).quantity!.remaining,
          })),
        },
      };
    }
    case 'LockLot':
    case 'UnlockLot': {
      const type = command.type;
      const onTarget = { type, data: { reason: command.reason } } as LockLot | UnlockLot;
      const onDescendant = { type, data: { reason: command.reason, ancestor: command.traceCode } } as LockLot | UnlockLot;
      const decided = overFamily(lots, command.traceCode, command.descendants, onTarget, onDescendant, now);
      const target = decided.find((l) => l.traceCode === command.traceCode)!;
      // Still locked after an unlock when an ancestor's lock also reaches it.
      return { lots: decided, outcome: { locked: isLocked(target.events.reduce(evolveLot, stateOf(lots, command.traceCode))) } };
    }
    case 'RecallLot': {
      const recall: RecallLot = { type: 'RecallLot', data: { recallId: command.recallId, origin: command.traceCode, reason: command.reason, source: 'REGULATOR' } };
      return { lots: overFamily(lots, command.traceCode, command.descendants, recall, recall, now), outcome: { recallId: command.recallId } };
    }
    case 'DestroyLot':
      return {
        lots: single(command.traceCode, lotDecider.decide({ type: 'DestroyLot', data: { reason: command.reason } }, stateOf(lots, command.traceCode), now)),
        outcome: null,
      };
    case 'RecordTemperatures':
      return decideTemperatureUpload(command, lots, now);
    case 'ResolveViolation': {
      const onTarget: ResolveViolation = { type: 'ResolveViolation', data: command.data };
      const onDescendant: ResolveViolation = {
        type: 'ResolveViolation',
        data: { violationId: command.data.violationId, reason: command.data.reason, correction: null, inheritedFrom: command.traceCode },
      };
      return {
        lots: overFamily(lots, command.traceCode, command.descendants, onTarget, onDescendant, now),
        outcome: { correctionId: command.data.correction?.correctionId ?? null },
      };
    }
  }
};

/**
 * An upload on a lot, and what it reaches: an excursion or abuse it shows
 * that began before a descendant was made (before every split on the way
 * to it) lay in that descendant's log too, so the descendant records it as
 * well (and is held by an abuse). Gaps stay the lot's own.
 */
const decideTemperatureUpload = (
  command: Extract<LotFamilyCommand, { type: 'RecordTemperatures' }>,
  lots: States,
  now: Date,
): LotFamilyDecision<LotFamilyOutcomes['RecordTemperatures']> => {
  const lot = stateOf(lots, command.traceCode);
  const d = command.data;
  const log = d.log ?? [];
  // Who may upload is judged at the last reading's time; a reading without a valid time is the lot decider's to refuse.
  let last = -Infinity;
  for (const r of d.readings) last = Math.max(last, Date.parse(r.at));
  // Before any other rule: a refusal must not tell another firm anything about its lot.
  const facilityId = Number.isFinite(last) ? loggingFacility(command.by, lot, new Date(last).toISOString()) : null;
  const { events, fresh } = decideTemperatureLog(
    { type: 'RecordTemperatures', data: { uploadId: d.uploadId, deviceId: d.deviceId, facilityId, readings: d.readings, log, rules: d.rules } },
    lot,
    now,
  );
  const recorded = events.find((e) => e.type === 'TemperaturesRecorded');
  const found = events.flatMap((e) => (e.type === 'TemperatureFindingRecorded' ? [e] : []));
  const family = new Set(command.descendants);
  const cuts = new Map<string, number>([[command.traceCode, Infinity]]);
  /** Until when a descendant's log holds the lot's readings: its making, and every making on the way to it. */
  const cutOf = (code: string): number => {
    const known = cuts.get(code);
    if (known !== undefined) return known;
    const s = stateOf(lots, code);
    const via = s.parents.filter((p) => p.traceCode === command.traceCode || family.has(p.traceCode)).map((p) => cutOf(p.traceCode));
    const cut = Math.min(s.origin ? Date.parse(s.origin.at) : -Infinity, via.length > 0 ? Math.max(...via) : -Infinity);
    cuts.set(code, cut);
    return cut;
  };
  const category = lot.product?.category;
  const reached = command.descendants
    .filter((code) => code !== command.traceCode)
    .map((code) => {
      const child = stateOf(lots, code);
      const theirs = found.filter(
        (f) => f.data.kind !== 'GAP' && Date.parse(f.data.from) <= cutOf(code) && !child.temperatureFindings.some((k) => k.kind === f.data.kind && Date.parse(k.from) <= Date.parse(f.data.to) && Date.parse(f.data.from) <= Date.parse(k.to)),
      );
      const events: LotEvent[] = theirs.map((f) => {
        const e = temperatureFinding(category!, { kind: f.data.kind as 'EXCURSION' | 'ABUSE', from: f.data.from, to: f.data.to, durationMinutes: f.data.minutes, extremeCelsius: f.data.extremeCelsius! }, d.rules, { uploadId: d.uploadId, facilityId });
        return { ...e, data: { ...e.data, message: `through lot ${command.traceCode}: ${e.data.message}` } };
      });
      return { traceCode: code, events };
    });
  const after = events.reduce(evolveLot, lot);
  const readings = recorded ? fresh : [];
  return {
    lots: [{ traceCode: command.traceCode, events }, ...reached],
    outcome: {
      uploadId: d.uploadId,
      recorded: recorded?.type === 'TemperaturesRecorded' ? recorded.data.count : 0,
      repeated: d.readings.length - (recorded?.type === 'TemperaturesRecorded' ? recorded.data.count : 0),
      findings: found.map((f) => ({ kind: f.data.kind, from: f.data.from, to: f.data.to, message: f.data.message })),
      held: after.violations.some((v) => v.kind === 'TEMPERATURE_ABUSE' && v.status === 'OPEN'),
      lotsReached: reached.filter((r) => r.events.length > 0).length,
      readings,
    },
  };
};
