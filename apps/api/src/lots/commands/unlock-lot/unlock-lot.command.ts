import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';

export class UnlockLotCommand extends Command<Executed<LotFamilyOutcomes['UnlockLot']>> {
  constructor(
    readonly traceCode: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
