import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import type { RegulatorActionResult } from '../../lot-command.result';
import { RecallLotRequestDto } from './recall-lot.request.dto';

export type RecallLotResult = RegulatorActionResult & { recallId: string };

export class RecallLotCommand extends Command<Executed<LotFamilyOutcomes['RecallLot']>> {
  constructor(
    readonly traceCode: string,
    readonly request: RecallLotRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
