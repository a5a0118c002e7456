import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requestHash } from '../../../common/commands/request-hash';
import type { LotFamilyRequest } from '@app/domain';
import { eventMetadata, idempotencyKey, type RequestContext } from '../../../common/http/request-context';
import { LotCommandOf, LotCommands } from '../../lot-commands';
import { RecallLotCommand } from './recall-lot.command';
import type { RecallLotRequestDto } from './recall-lot.request.dto';

/** A recall as the lot command it is, idempotent when it names its recallId (for the recall route and EPCIS capture alike). */
export const recallLot = (traceCode: string, request: RecallLotRequestDto, context: RequestContext): LotCommandOf<Extract<LotFamilyRequest, { type: 'RecallLot' }>> => {
  const recallId = request.recallId ?? randomUUID();
  return {
    command: { type: 'RecallLot', traceCode, recallId, reason: request.reason },
    context: {
      metadata: eventMetadata(context, { causationId: recallId }),
      idempotency: request.recallId ? { key: idempotencyKey(context, `recall:${recallId}`), requestHash: requestHash({ traceCode, ...request }) } : undefined,
    },
  };
};

/** A regulator's recall: the lot and every descendant, transitively, each with its own LotRecalled. */
@CommandHandler(RecallLotCommand)
export class RecallLotHandler implements ICommandHandler<RecallLotCommand> {
  constructor(@Inject(LotCommands) private readonly lots: LotCommands) {}

  async execute({ traceCode, request, context }: RecallLotCommand) {
    const { command, context: recorded } = recallLot(traceCode, request, context);
    return this.lots.run(command, recorded);
  }
}
