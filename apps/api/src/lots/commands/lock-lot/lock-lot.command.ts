import { Command } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import type { RequestContext } from '../../../common/http/request-context';
import type { RegulatorActionResult } from '../../regulator-action.result';

export class LockLotCommand extends Command<StoredResponse<RegulatorActionResult & { locked: boolean }>> {
  constructor(
    readonly traceCode: string,
    readonly reason: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
