import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { conflict, deriveSplitChildren, LotEvent, lotDecider, LotSplit, lotStreamId, requireHeldByOperator } from '@app/domain';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { SplitLotCommand, SplitLotResult } from './split-lot.command';

/** Portions of a lot become new child lots at the same holder, all in one transaction. */
@CommandHandler(SplitLotCommand)
export class SplitLotHandler implements ICommandHandler<SplitLotCommand> {
  constructor(
    @Inject(LotBatchExecutor) private readonly batch: LotBatchExecutor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request, context }: SplitLotCommand) {
    return this.batch.run<SplitLotResult, { remaining: number }>({
      primary: traceCode,
      metadata: eventMetadata(context, { causationId: request.splitId }),
      idempotency: { key: idempotencyKey(context, `split:${request.splitId}`), requestHash: requestHash({ traceCode, ...request }) },
      plan: async (load) => {
        const now = new Date();
        const codes = [traceCode, ...request.children.map((c) => c.traceCode)];
        const lots = await load(codes);
        const parent = lots.get(traceCode)!.state;
        requireHeldByOperator(context.principal, parent);
        const parentEvents = lotDecider.decide(
          {
            type: 'SplitLot',
            data: {
              splitId: request.splitId,
              children: request.children.map((c) => ({ ...c })),
              occurredAt: request.occurredAt ?? now.toISOString(),
              timePolicy: this.config.timePolicy,
            },
          },
          parent,
          now,
        );
        for (const c of request.children) {
          if (lots.get(c.traceCode)?.state.registered) {
            throw conflict('LOT_EXISTS', `lot ${c.traceCode} is already registered`, { traceCode: c.traceCode });
          }
        }
        const split = parentEvents[0] as LotSplit;
        const children = deriveSplitChildren(parent, split.data);
        return {
          lots: [{ traceCode, events: parentEvents }, ...children.map((child) => ({ traceCode: child.data.traceCode, events: [child as LotEvent] }))],
          outcome: { remaining: parentEvents.reduce(lotDecider.evolve, parent).quantity!.remaining },
        };
      },
      respond: (result, { outcome: { remaining } }) => ({
        status: 201,
        body: {
          splitId: request.splitId,
          traceCode,
          remaining,
          children: request.children.map((c) => ({
            traceCode: c.traceCode,
            quantity: c.quantity,
            version: result.streams.find((s) => s.streamId === lotStreamId(c.traceCode))?.nextVersion ?? 0,
          })),
          position: result.position,
        },
      }),
    });
  }
}
