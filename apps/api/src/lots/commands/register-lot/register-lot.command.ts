import { Command } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import type { RequestContext } from '../../../common/http/request-context';
import type { LotCommandResult } from '../../lot-command.runner';
import { RegisterLotRequestDto } from './register-lot.request.dto';

export class RegisterLotCommand extends Command<StoredResponse<LotCommandResult>> {
  constructor(
    readonly request: RegisterLotRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
