import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import { RecordScanRequestDto } from './record-scan.request.dto';

export class RecordScanCommand extends Command<Executed<LotFamilyOutcomes['RecordScan']>> {
  constructor(
    readonly request: RecordScanRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
