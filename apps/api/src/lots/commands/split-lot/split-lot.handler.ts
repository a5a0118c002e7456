import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { LotCommands } from '../../lot-commands';
import { SplitLotCommand } from './split-lot.command';

/** Portions of a lot become new child lots at the same holder, all in one transaction. */
@CommandHandler(SplitLotCommand)
export class SplitLotHandler implements ICommandHandler<SplitLotCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request, context }: SplitLotCommand) {
    return this.lots.run(
      {
        type: 'SplitLot',
        traceCode,
        by: context.principal,
        data: {
          splitId: request.splitId,
          children: request.children.map((c) => ({ ...c })),
          occurredAt: request.occurredAt ?? new Date().toISOString(),
          timePolicy: this.config.timePolicy,
        },
      },
      {
        metadata: eventMetadata(context, { causationId: request.splitId }),
        idempotency: { key: idempotencyKey(context, `split:${request.splitId}`), requestHash: requestHash({ traceCode, ...request }) },
      },
    );
  }
}
