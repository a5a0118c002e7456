import { Command } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import type { RequestContext } from '../../../common/http/request-context';
import type { RegulatorActionResult } from '../../regulator-action.result';
import { RecallLotRequestDto } from './recall-lot.request.dto';

export type RecallLotResult = RegulatorActionResult & { recallId: string };

export class RecallLotCommand extends Command<StoredResponse<RecallLotResult>> {
  constructor(
    readonly traceCode: string,
    readonly request: RecallLotRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
