import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import type { LotCommandResult } from '../../lot-command.result';
import { AttachDocumentRequestDto } from './attach-document.request.dto';

export interface AttachDocumentResult extends LotCommandResult {
  /** True when this lot is locked after the command (a POSITIVE test locks it at once). */
  locked: boolean;
  /** How many descendants the document reached (those without a valid one of that type). */
  documentReached: number;
  /** Set when a POSITIVE result recalled the whole batch. */
  recallId?: string;
  lotsRecalled?: number;
}

export class AttachDocumentCommand extends Command<Executed<LotFamilyOutcomes['AttachDocument']>> {
  constructor(
    readonly traceCode: string,
    readonly request: AttachDocumentRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
