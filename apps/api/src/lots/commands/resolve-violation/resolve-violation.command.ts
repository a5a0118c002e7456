import { Command } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import type { RequestContext } from '../../../common/http/request-context';
import type { RegulatorActionResult } from '../../regulator-action.result';
import { ResolveViolationRequestDto } from './resolve-violation.request.dto';

export type ResolveViolationResult = RegulatorActionResult & { violationId: string; correctionId: string | null };

export class ResolveViolationCommand extends Command<StoredResponse<ResolveViolationResult>> {
  constructor(
    readonly traceCode: string,
    readonly violationId: string,
    readonly request: ResolveViolationRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
