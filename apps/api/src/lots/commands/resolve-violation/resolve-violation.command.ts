import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import type { RegulatorActionResult } from '../../lot-command.result';
import { ResolveViolationRequestDto } from './resolve-violation.request.dto';

export type ResolveViolationResult = RegulatorActionResult & { violationId: string; correctionId: string | null };

export class ResolveViolationCommand extends Command<Executed<LotFamilyOutcomes['ResolveViolation']>> {
  constructor(
    readonly traceCode: string,
    readonly violationId: string,
    readonly request: ResolveViolationRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
