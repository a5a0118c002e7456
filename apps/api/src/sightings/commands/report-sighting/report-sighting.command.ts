import { Command } from '@nestjs/cqrs';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import { ReportSightingRequestDto } from './report-sighting.request.dto';

export interface ReportSightingResult {
  id: string;
  traceCode: string;
  facilityId: string;
  occurredAt: string;
  reportedAt: string;
  position: number;
}

export class ReportSightingCommand extends Command<Executed<ReportSightingResult>> {
  constructor(
    readonly request: ReportSightingRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
