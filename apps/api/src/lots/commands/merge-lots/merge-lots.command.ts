import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import { MergeLotsRequestDto } from './merge-lots.request.dto';

export interface MergeLotsResult {
  mergeId: string;
  traceCode: string;
  quantity: number;
  parents: { traceCode: string; quantity: number; remaining: number }[];
  position: number;
}

export class MergeLotsCommand extends Command<Executed<LotFamilyOutcomes['MergeLots']>> {
  constructor(
    readonly request: MergeLotsRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
