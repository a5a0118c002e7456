import { Inject, Injectable } from '@nestjs/common';
import { LotCommand, LotEvent, LotState, lotDecider, lotStreamId, toLotEvent } from '@app/domain';
import { AppendResult, EventMetadata, StoredResponse } from '@app/event-store';
import { CommandExecutor, ExecuteOutcome } from '../common/commands/command-executor';
import { eventMetadata, type RequestContext } from '../common/http/request-context';

export interface LotCommandArgs<T> {
  readonly traceCode: string;
  readonly command: LotCommand;
  readonly context: RequestContext;
  readonly metadata?: EventMetadata;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  readonly respond: (result: AppendResult, decided: readonly LotEvent[], after: LotState) => StoredResponse<T>;
}

/** Runs a command against one lot's stream through the lot decider. */
@Injectable()
export class LotCommandRunner {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  run<T>(args: LotCommandArgs<T>): Promise<ExecuteOutcome<T>> {
    return this.executor.execute({
      streamId: lotStreamId(args.traceCode),
      streamType: 'lot',
      decider: lotDecider,
      toEvent: (e) => toLotEvent(e.type, e.schemaVersion, e.data),
      command: args.command,
      metadata: eventMetadata(args.context, args.metadata),
      idempotency: args.idempotency,
      respond: args.respond,
    });
  }
}

/** What every lot command answers: where the stream and the global log stand now. */
export interface LotCommandResult {
  traceCode: string;
  version: number;
  position: number;
  events: { type: string; version: number }[];
}

export const lotCommandResult = (traceCode: string, r: AppendResult): LotCommandResult => ({
  traceCode,
  version: r.nextVersion,
  position: r.position,
  events: r.events.map((e) => ({ type: e.type, version: e.version })),
});
