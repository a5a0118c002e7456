import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Settled } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import type { RecordScanRequestDto } from '../record-scan/record-scan.request.dto';
import { RecordScanBatchRequestDto } from './record-scan-batch.request.dto';

/** One scan of a batch as it was settled: recorded (now or before), or refused with the error a lone scan would get. */
export type SettledScan =
  | { readonly scanId: string | null; readonly request: RecordScanRequestDto; readonly settled: Settled<LotFamilyOutcomes['RecordScan']> }
  | { readonly scanId: string | null; readonly request: null; readonly settled: { readonly kind: 'refused'; readonly error: unknown } };

export class RecordScanBatchCommand extends Command<SettledScan[]> {
  constructor(
    readonly request: RecordScanBatchRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
