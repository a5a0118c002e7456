import { ArgumentMetadata, Inject, Injectable } from '@nestjs/common';
import { notFound, type FacilityRef, type LotFamilyRequest } from '@app/domain';
import { requireOperatorFacility, requireRole } from '../../access/access.guard';
import { ROUTE_POLICY, type RoutePolicy } from '../../access/route-policy';
import { BatchRolledBack, type Settled } from '../../common/commands/command-executor';
import { requestHash } from '../../common/commands/request-hash';
import { toErrorResponse } from '../../common/http/api-exception.filter';
import { ApiError } from '../../common/http/api-errors';
import { eventMetadata, idempotencyKey, type RequestContext } from '../../common/http/request-context';
import { apiValidationPipe, prechecked } from '../../common/http/validation.pipe';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { FacilityRepository } from '../../facilities/facility.repository';
import { attachDocument } from '../../lots/commands/attach-document/attach-document.handler';
import { AttachDocumentHttpController } from '../../lots/commands/attach-document/attach-document.http.controller';
import { AttachDocumentRequestDto } from '../../lots/commands/attach-document/attach-document.request.dto';
import { RegulatorReasonRequestDto } from '../../lots/commands/lock-lot/lock-lot.request.dto';
import { mergeLots } from '../../lots/commands/merge-lots/merge-lots.handler';
import { MergeLotsHttpController } from '../../lots/commands/merge-lots/merge-lots.http.controller';
import { MergeLotsRequestDto } from '../../lots/commands/merge-lots/merge-lots.request.dto';
import { recallLot } from '../../lots/commands/recall-lot/recall-lot.handler';
import { RecallLotRequestDto } from '../../lots/commands/recall-lot/recall-lot.request.dto';
import { RecordScanBatchHttpController } from '../../lots/commands/record-scan-batch/record-scan-batch.http.controller';
import { recordScan } from '../../lots/commands/record-scan/record-scan.mapping';
import { RecordScanRequestDto } from '../../lots/commands/record-scan/record-scan.request.dto';
import { registerLot } from '../../lots/commands/register-lot/register-lot.handler';
import { RegisterLotHttpController } from '../../lots/commands/register-lot/register-lot.http.controller';
import { RegisterLotRequestDto } from '../../lots/commands/register-lot/register-lot.request.dto';
import { splitLot } from '../../lots/commands/split-lot/split-lot.handler';
import { SplitLotHttpController } from '../../lots/commands/split-lot/split-lot.http.controller';
import { SplitLotRequestDto } from '../../lots/commands/split-lot/split-lot.request.dto';
import { LotCommandOf, LotCommands } from '../../lots/lot-commands';
import { RegulatorActionsHttpController } from '../../lots/regulator-actions.http.controller';
import type { CaptureErrorBehaviour, CaptureJobErrorDto } from './capture-job';
import { recordTemperatures } from '../../lots/commands/record-temperatures/record-temperatures.handler';
import { RecordTemperaturesHttpController } from '../../lots/commands/record-temperatures/record-temperatures.http.controller';
import { RecordTemperaturesRequestDto } from '../../lots/commands/record-temperatures/record-temperatures.request.dto';
import { captureLines, inEventTerms, type CaptureKind, type CaptureLine, type CaptureRequest } from './epcis-capture.mapping';


export interface CaptureRecording {
  /** One per event that recorded nothing, in document order (rollback: the refused ones only, though none was recorded). */
  readonly errors: CaptureJobErrorDto[];
  /** The highest global position an event of the capture reached (0 when none did). */
  readonly position: number;
}

/**
 * Events recorded per transaction when proceeding. A batch's mapping,
 * checks, decisions and hashes run without a break for the event loop: 1000
 * scans held it 150-300 ms on a loaded 2-core machine, a quarter of that
 * about 100 ms at most (the database round trips between batches give the
 * loop its turns).
 */
export const CAPTURE_BATCH_EVENTS = 250;

/** The JSON route each kind of request is, whose declared policy (Allow) and body class judge it here too. */
const ROUTES: Readonly<Record<CaptureKind, { readonly route: [Function, string]; readonly body: Function; readonly what: string }>> = {
  scan: { route: [RecordScanBatchHttpController, 'record'], body: RecordScanRequestDto, what: 'record a scan' },
  register: { route: [RegisterLotHttpController, 'register'], body: RegisterLotRequestDto, what: 'register a lot (commissioning)' },
  attach: { route: [AttachDocumentHttpController, 'attach'], body: AttachDocumentRequestDto, what: 'attach a document (inspecting)' },
  split: { route: [SplitLotHttpController, 'split'], body: SplitLotRequestDto, what: 'split a lot' },
  merge: { route: [MergeLotsHttpController, 'merge'], body: MergeLotsRequestDto, what: 'merge lots' },
  recall: { route: [RegulatorActionsHttpController, 'recall'], body: RecallLotRequestDto, what: 'recall a lot' },
  lock: { route: [RegulatorActionsHttpController, 'lock'], body: RegulatorReasonRequestDto, what: 'lock a lot' },
  unlock: { route: [RegulatorActionsHttpController, 'unlock'], body: RegulatorReasonRequestDto, what: 'unlock a lot' },
  destroy: { route: [RegulatorActionsHttpController, 'destroy'], body: RegulatorReasonRequestDto, what: 'destroy a lot' },
  temperatures: { route: [RecordTemperaturesHttpController, 'record'], body: RecordTemperaturesRequestDto, what: 'log temperature readings (sensorElementList)' },
};

type RolesPolicy = Extract<RoutePolicy, { kind: 'roles' }>;

/** The policy a route declares (on its method, else its controller), read as the guard reads it. */
const policyOf = ([controller, method]: [Function, string]): RolesPolicy => {
  const handler = (controller.prototype as Record<string, Function>)[method];
  const policy = (Reflect.getMetadata(ROUTE_POLICY, handler) ?? Reflect.getMetadata(ROUTE_POLICY, controller)) as RoutePolicy | undefined;
  if (policy?.kind !== 'roles') throw new Error(`${controller.name}.${method} declares no roles`);
  return policy;
};

/** The facilities a request names, each with its field, that must be registered. */
const facilitiesNamed = (request: CaptureRequest, body: Record<string, unknown>): [field: string, id: string][] => {
  const fields = request.kind === 'scan' ? ['facilityId', 'toFacilityId'] : request.kind === 'register' ? ['portOfEntryId'] : request.kind === 'merge' ? ['facilityId'] : [];
  return fields.flatMap((f) => (typeof body[f] === 'string' ? [[f, body[f] as string] as [string, string]] : []));
};

/** A request that passed the checks its route makes before its handler: its validated body. */
interface CheckedRequest {
  readonly request: CaptureRequest;
  readonly body: Record<string, unknown>;
}

/** An event whose every request passed those checks. */
interface Checked {
  readonly index: number;
  readonly key: string;
  readonly requests: readonly CheckedRequest[];
}

type Refusal = Omit<CaptureJobErrorDto, 'eventID'>;

/** A lot command of an event, with the request it is (its refusal is told in the event's terms). */
interface EventCommand {
  readonly request: CaptureRequest;
  readonly command: LotCommandOf<LotFamilyRequest>;
}

/** An event as its lot commands (one, but for the readings it logs), or why it is none before the domain judges it. */
type Outcome = { readonly index: number; readonly refusal: Refusal } | { readonly index: number; readonly commands: readonly EventCommand[] };

/** A refusal of a request as the sender of the event reads it: readings named by where the event holds them. */
const refusalIn = (request: CaptureRequest, refusal: Refusal): Refusal => {
  if (request.kind !== 'temperatures') return refusal;
  const { details, ...rest } = refusal;
  return {
    ...rest,
    message: inEventTerms(request, refusal.message),
    ...(details === undefined ? {} : { details: JSON.parse(inEventTerms(request, JSON.stringify(details))) as Record<string, unknown> }),
  };
};

/** Each event's commands, flat, with the event's index: a batch for runAll. */
const commandsOf = (outcomes: readonly Outcome[]): (EventCommand & { readonly index: number })[] =>
  outcomes.flatMap((o) => ('commands' in o ? o.commands.map((c) => ({ index: o.index, ...c })) : []));

/** Why a command recorded nothing, as its route would answer; null when it was recorded (now or before). */
const refusalOf = (settled: Settled<unknown>): Refusal | null => {
  switch (settled.kind) {
    case 'executed':
      return null;
    case 'legacy': {
      // Recorded by code from before results were: its HTTP answer, as the scan routes replay it.
      if (settled.status < 300) return null;
      const body = settled.body as { code?: string; message?: string };
      return { code: body.code ?? 'REFUSED', message: body.message ?? '' };
    }
    case 'refused':
      return errorOf(settled.error);
  }
};

/** An error as a job's entry; only the caller's mistakes are an event's refusal, anything else fails the capture. */
const errorOf = (error: unknown): Refusal => {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) throw error;
  return body;
};

/**
 * Records a document's events, each as the command its JSON route runs
 * (epcis-capture.mapping.ts says which; an event that logs readings is a
 * command per lot and device besides), with that route's checks in its
 * order: the key's role for it (FORBIDDEN, that event alone) and, for an
 * operator, its facility; the body's validation; the facilities it names;
 * then the domain, in document order, each idempotent by a key from its
 * eventID (per credential, as every idempotency key is).
 *
 * `proceed`: each event on its own, CAPTURE_BATCH_EVENTS a transaction.
 * `rollback`: every event checked first, then all decided in ONE
 * transaction that commits only when none is refused; any refusal records
 * nothing at all, and the refused events are the job's errors.
 */
@Injectable()
export class CaptureRecorder {
  private readonly validation = apiValidationPipe();
  private readonly policies = new Map(Object.entries(ROUTES).map(([kind, r]) => [kind as CaptureKind, policyOf(r.route)]));

  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async record(events: readonly unknown[], context: RequestContext, behaviour: CaptureErrorBehaviour = 'proceed'): Promise<CaptureRecording> {
    return behaviour === 'rollback' ? this.rollback(events, context) : this.proceed(events, context);
  }

  private async proceed(events: readonly unknown[], context: RequestContext): Promise<CaptureRecording> {
    const errors: CaptureJobErrorDto[] = [];
    let position = 0;
    // Mapped and checked a batch at a time too (it hashes each eventID): the work between two database round trips stays one batch's.
    for (let from = 0; from < events.length; from += CAPTURE_BATCH_EVENTS) {
      const lines = captureLines(events.slice(from, from + CAPTURE_BATCH_EVENTS));
      const outcomes = await this.prepare(lines, context);
      const ready = commandsOf(outcomes);
      const refused = new Map<number, Refusal>(outcomes.flatMap((o) => ('refusal' in o ? [[o.index, o.refusal] as const] : [])));
      if (ready.length > 0) {
        const settled = await this.lots.runAll(ready.map((r) => r.command));
        settled.forEach((s, k) => {
          if (s.kind === 'executed') position = Math.max(position, s.result.position);
          const refusal = refusalOf(s);
          // An event's first refusal is its error; its other commands (a scan, another device's readings) stand on their own.
          if (refusal && !refused.has(ready[k].index)) refused.set(ready[k].index, refusalIn(ready[k].request, refusal));
        });
      }
      errors.push(...[...refused.entries()].sort(([a], [b]) => a - b).map(([i, e]) => ({ eventID: lines[i].eventID, ...e })));
    }
    return { errors, position };
  }

  private async rollback(events: readonly unknown[], context: RequestContext): Promise<CaptureRecording> {
    const lines: CaptureLine[] = [];
    const outcomes: Outcome[] = [];
    for (let from = 0; from < events.length; from += CAPTURE_BATCH_EVENTS) {
      const slice = captureLines(events.slice(from, from + CAPTURE_BATCH_EVENTS));
      outcomes.push(...(await this.prepare(slice, context)).map((o) => ({ ...o, index: o.index + from })));
      lines.push(...slice);
    }
    const entry = (index: number, refusal: Refusal): CaptureJobErrorDto => ({ eventID: lines[index].eventID, ...refusal });
    const refusedEarly = outcomes.flatMap((o) => ('refusal' in o ? [entry(o.index, o.refusal)] : []));
    // Refused before the domain: nothing is decided, nothing recorded.
    if (refusedEarly.length > 0) return { errors: refusedEarly, position: 0 };
    const ready = commandsOf(outcomes);
    if (ready.length === 0) return { errors: [], position: 0 };
    try {
      const settled = await this.lots.runAll(
        ready.map((r) => r.command),
        { allOrNothing: true },
      );
      return { errors: [], position: Math.max(0, ...settled.map((s) => (s.kind === 'executed' ? s.result.position : 0))) };
    } catch (e) {
      if (!(e instanceof BatchRolledBack)) throw e;
      // One entry per refused event: its first refused command's.
      const byEvent = new Map<number, Refusal>();
      for (const [k, s] of [...e.refused.entries()].sort(([a], [b]) => a - b)) if (!byEvent.has(ready[k].index)) byEvent.set(ready[k].index, refusalIn(ready[k].request, refusalOf(s)!));
      return { errors: [...byEvent.entries()].sort(([a], [b]) => a - b).map(([i, r]) => entry(i, r)), position: 0 };
    }
  }

  /** Each line as its lot commands, or the error its route would answer before its handler ran (by the line's index). */
  private async prepare(lines: readonly CaptureLine[], context: RequestContext): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const checked: Checked[] = [];
    for (const [index, line] of lines.entries()) {
      if (!line.requests) {
        outcomes.push({ index, refusal: line.refused });
        continue;
      }
      // An event is checked whole: one request refused here, and none of its commands runs.
      const requests: CheckedRequest[] = [];
      for (const request of line.requests) {
        try {
          requests.push({ request, body: await this.check(request, context) });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          outcomes.push({ index, refusal: refusalIn(request, errorOf(error)) });
          break;
        }
      }
      if (requests.length === line.requests.length) checked.push({ index, key: line.key, requests });
    }
    const named = (c: Checked) => c.requests.flatMap((r) => facilitiesNamed(r.request, r.body));
    const known = await this.facilities.findMany(checked.flatMap((c) => named(c).map(([, id]) => id)));
    for (const c of checked) {
      const missing = named(c).find(([, id]) => !known.has(id));
      if (missing) {
        outcomes.push({ index: c.index, refusal: errorOf(notFound('FACILITY_NOT_FOUND', `no facility ${missing[1]} is registered`, { field: missing[0], facilityId: missing[1] })) });
        continue;
      }
      outcomes.push({ index: c.index, commands: c.requests.map((r) => ({ request: r.request, command: this.commandOf(r, c.key, context, (id) => known.get(id)!) })) });
    }
    return outcomes.sort((a, b) => a.index - b.index);
  }

  /** The checks the request's route makes before its handler: the key's role and, for an operator, the facility the body names; the body's validation. */
  private async check(request: CaptureRequest, context: RequestContext): Promise<Record<string, unknown>> {
    const { body: type, what } = ROUTES[request.kind];
    const policy = this.policies.get(request.kind)!;
    const { principal } = context;
    requireRole(policy, principal, what);
    const raw = request.body as unknown as Record<string, unknown>;
    const scope = policy.operatorScope;
    // A batch's item names its facility as a lone scan does; a lot held elsewhere ('lot-held') is the domain's to refuse.
    const field = scope === 'each-item' ? 'facilityId' : typeof scope === 'object' && scope.facilityIn === 'body' ? scope.field : null;
    if (field !== null && typeof raw[field] === 'string') requireOperatorFacility(principal, raw[field], field);
    const metadata: ArgumentMetadata = { type: 'body', metatype: type as ArgumentMetadata['metatype'] };
    return ((prechecked(type, raw) ?? (await this.validation.transform(raw, metadata))) as Record<string, unknown>);
  }

  /**
   * The lot command, built as its route's handler builds it; the commands
   * whose routes take no idempotency key get one from the eventID, so the
   * same event sent again by the same key records nothing new.
   */
  private commandOf({ request, body }: CheckedRequest, key: string, context: RequestContext, facility: (id: string) => FacilityRef): LotCommandOf<LotFamilyRequest> {
    const byEvent = (built: LotCommandOf<LotFamilyRequest>): LotCommandOf<LotFamilyRequest> => ({
      ...built,
      context: { ...built.context, idempotency: { key: idempotencyKey(context, `epcis:${key}`), requestHash: requestHash(request) } },
    });
    const reason = () => (body as unknown as RegulatorReasonRequestDto).reason;
    switch (request.kind) {
      case 'scan': {
        const scan = body as unknown as RecordScanRequestDto;
        return recordScan(scan, context, { facility: facility(scan.facilityId), toFacility: scan.toFacilityId ? facility(scan.toFacilityId) : null }, this.config);
      }
      case 'register': {
        const registration = body as unknown as RegisterLotRequestDto;
        return byEvent(registerLot(registration, facility(registration.portOfEntryId), context));
      }
      case 'attach':
        return byEvent(attachDocument(request.traceCode, body as unknown as AttachDocumentRequestDto, context, this.config));
      case 'split':
        return splitLot(request.traceCode, body as unknown as SplitLotRequestDto, context, this.config);
      case 'merge': {
        const merge = body as unknown as MergeLotsRequestDto;
        return mergeLots(merge, facility(merge.facilityId), context);
      }
      case 'recall':
        return recallLot(request.traceCode, body as unknown as RecallLotRequestDto, context);
      case 'lock':
        return byEvent({ command: { type: 'LockLot', traceCode: request.traceCode, reason: reason() }, context: { metadata: eventMetadata(context) } });
      case 'unlock':
        return byEvent({ command: { type: 'UnlockLot', traceCode: request.traceCode, reason: reason() }, context: { metadata: eventMetadata(context) } });
      case 'destroy':
        return byEvent({ command: { type: 'DestroyLot', traceCode: request.traceCode, reason: reason() }, context: { metadata: eventMetadata(context) } });
      case 'temperatures':
        // No key, as the route takes none: a reading is known by (deviceId, at), so a resend logs nothing (and one event may log for several lots).
        return recordTemperatures(request.traceCode, body as unknown as RecordTemperaturesRequestDto, context, this.config);
    }
  }
}
