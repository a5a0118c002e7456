import { Command } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import type { RequestContext } from '../../../common/http/request-context';
import { MergeLotsRequestDto } from './merge-lots.request.dto';

export interface MergeLotsResult {
  mergeId: string;
  traceCode: string;
  quantity: number;
  parents: { traceCode: string; quantity: number; remaining: number }[];
  position: number;
}

export class MergeLotsCommand extends Command<StoredResponse<MergeLotsResult>> {
  constructor(
    readonly request: MergeLotsRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
