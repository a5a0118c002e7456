import { Command } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import type { RequestContext } from '../../../common/http/request-context';
import type { LotCommandResult } from '../../lot-command.runner';

export class DestroyLotCommand extends Command<StoredResponse<LotCommandResult>> {
  constructor(
    readonly traceCode: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
