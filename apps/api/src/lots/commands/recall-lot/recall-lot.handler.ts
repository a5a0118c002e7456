import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { LotCommands } from '../../lot-commands';
import { RecallLotCommand } from './recall-lot.command';

/** A regulator's recall: the lot and every descendant, transitively, each with its own LotRecalled. */
@CommandHandler(RecallLotCommand)
export class RecallLotHandler implements ICommandHandler<RecallLotCommand> {
  constructor(@Inject(LotCommands) private readonly lots: LotCommands) {}

  async execute({ traceCode, request, context }: RecallLotCommand) {
    const recallId = request.recallId ?? randomUUID();
    return this.lots.run(
      { type: 'RecallLot', traceCode, recallId, reason: request.reason },
      {
        metadata: eventMetadata(context, { causationId: recallId }),
        idempotency: request.recallId ? { key: idempotencyKey(context, `recall:${recallId}`), requestHash: requestHash({ traceCode, ...request }) } : undefined,
      },
    );
  }
}
