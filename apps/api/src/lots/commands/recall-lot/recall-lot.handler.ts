import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { GenealogyReader } from '@app/read-models';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { planForLotAndDescendants } from '../../lot-propagation';
import { regulatorActionResult } from '../../regulator-action.result';
import { RecallLotCommand, RecallLotResult } from './recall-lot.command';

/** A regulator's recall: the lot and every descendant, transitively, each with its own LotRecalled. */
@CommandHandler(RecallLotCommand)
export class RecallLotHandler implements ICommandHandler<RecallLotCommand> {
  constructor(
    @Inject(LotBatchExecutor) private readonly batch: LotBatchExecutor,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
  ) {}

  async execute({ traceCode, request, context }: RecallLotCommand) {
    const recallId = request.recallId ?? randomUUID();
    const recall = { type: 'RecallLot' as const, data: { recallId, origin: traceCode, reason: request.reason, source: 'REGULATOR' as const } };
    return this.batch.run<RecallLotResult, null>({
      primary: traceCode,
      metadata: eventMetadata(context, { causationId: recallId }),
      idempotency: request.recallId ? { key: idempotencyKey(context, `recall:${recallId}`), requestHash: requestHash({ traceCode, ...request }) } : undefined,
      plan: async (load, manager) => ({
        lots: await planForLotAndDescendants(this.genealogy, load, manager, traceCode, recall, recall, new Date()),
        outcome: null,
      }),
      respond: (result) => ({ status: 201, body: { ...regulatorActionResult(traceCode, result), recallId } }),
    });
  }
}
