import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';

export class DestroyLotCommand extends Command<Executed<LotFamilyOutcomes['DestroyLot']>> {
  constructor(
    readonly traceCode: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
