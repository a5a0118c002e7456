import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import { SplitLotRequestDto } from './split-lot.request.dto';

export interface SplitLotResult {
  splitId: string;
  traceCode: string;
  /** The parent's remaining quantity after the split. */
  remaining: number;
  children: { traceCode: string; quantity: number; version: number }[];
  position: number;
}

export class SplitLotCommand extends Command<Executed<LotFamilyOutcomes['SplitLot']>> {
  constructor(
    readonly traceCode: string,
    readonly request: SplitLotRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
