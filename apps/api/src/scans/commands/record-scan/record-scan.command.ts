import { Command } from '@nestjs/cqrs';
import type { ComplianceFlagKind, LotsOutcomes, TraceViolationKind } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import type { LotCommandResult } from '../../../lots/lot-command.result';
import { RecordScanRequestDto } from './record-scan.request.dto';

export interface RecordScanResult extends LotCommandResult {
  scanId: string;
  action: string;
  /** Rule breaks this scan revealed; recorded in the lot's history and blocking it. */
  violations: { kind: TraceViolationKind; message: string }[];
  /** Compliance flags this scan raised (not blocking on their own). */
  flags: { flag: ComplianceFlagKind; message: string }[];
}

export class RecordScanCommand extends Command<Executed<LotsOutcomes['RecordScan']>> {
  constructor(
    readonly request: RecordScanRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
