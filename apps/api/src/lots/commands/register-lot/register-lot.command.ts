import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import { RegisterLotRequestDto } from './register-lot.request.dto';

export class RegisterLotCommand extends Command<Executed<LotFamilyOutcomes['RegisterLot']>> {
  constructor(
    readonly request: RegisterLotRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
