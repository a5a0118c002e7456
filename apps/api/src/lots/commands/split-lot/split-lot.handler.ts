import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requestHash } from '../../../common/commands/request-hash';
import type { LotFamilyRequest } from '@app/domain';
import { eventMetadata, idempotencyKey, type RequestContext } from '../../../common/http/request-context';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { LotCommandOf, LotCommands } from '../../lot-commands';
import { SplitLotCommand } from './split-lot.command';
import type { SplitLotRequestDto } from './split-lot.request.dto';

/** A split as the lot command it is, idempotent by its splitId (for the splits route and EPCIS capture alike). */
export const splitLot = (traceCode: string, request: SplitLotRequestDto, context: RequestContext, config: AppConfig): LotCommandOf<Extract<LotFamilyRequest, { type: 'SplitLot' }>> => ({
  command: {
    type: 'SplitLot',
    traceCode,
    by: context.principal,
    data: {
      splitId: request.splitId,
      children: request.children.map((c) => ({ ...c })),
      occurredAt: request.occurredAt ?? new Date().toISOString(),
      timePolicy: config.timePolicy,
    },
  },
  context: {
    metadata: eventMetadata(context, { causationId: request.splitId }),
    idempotency: { key: idempotencyKey(context, `split:${request.splitId}`), requestHash: requestHash({ traceCode, ...request }) },
  },
});

/** Portions of a lot become new child lots at the same holder, all in one transaction. */
@CommandHandler(SplitLotCommand)
export class SplitLotHandler implements ICommandHandler<SplitLotCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request, context }: SplitLotCommand) {
    const { command, context: recorded } = splitLot(traceCode, request, context, this.config);
    return this.lots.run(command, recorded);
  }
}
