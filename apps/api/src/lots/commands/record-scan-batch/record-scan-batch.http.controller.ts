import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { toErrorResponse } from '../../../common/http/api-exception.filter';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { recordScanResult, type RecordScanResult } from '../record-scan/record-scan.mapping';
import { RecordScanBatchCommand, type SettledScan } from './record-scan-batch.command';
import { RecordScanBatchRequestDto } from './record-scan-batch.request.dto';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { AcceptedScanResponse, RecordScanBatchResponse, RefusedScanResponse } from './record-scan-batch.response';

/** One line of a batch's answer, in the order the scans were sent. */
export type BatchScanResult =
  | ({ status: 'accepted' } & RecordScanResult)
  | { scanId: string | null; status: 'refused'; code: string; message: string; details?: Record<string, unknown> };

export interface BatchResult {
  results: BatchScanResult[];
  /** The highest position of an accepted scan (0 when none was): pass it as ?atLeast= to read them all. */
  position: number;
}

const refused = (scanId: string | null, error: unknown): BatchScanResult => {
  const { status, body } = toErrorResponse(error);
  // Only the caller's mistakes are a scan's refusal; anything else fails the request (and nothing was written).
  if (status >= 500) throw error;
  return { scanId, status: 'refused', ...body };
};

const lineOf = ({ scanId, request, settled }: SettledScan): BatchScanResult => {
  switch (settled.kind) {
    case 'refused':
      return refused(scanId, settled.error);
    case 'executed':
      return { status: 'accepted', ...recordScanResult(request!, settled.result) };
    case 'legacy': {
      // Recorded by code from before results were: its HTTP answer, as the single route replays it.
      const body = settled.body as Record<string, unknown> & { code?: string; message?: string };
      return settled.status < 300
        ? ({ status: 'accepted', ...body } as BatchScanResult)
        : { scanId, status: 'refused', code: body.code ?? 'REFUSED', message: body.message ?? '' };
    }
  }
};

@ApiTags('scans')
@ApiExtraModels(AcceptedScanResponse, RefusedScanResponse)
@Controller('scans')
export class RecordScanBatchHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /**
   * Up to 1000 scans (a handheld's offline buffer): 200 with one result per
   * scan, accepted or refused with the code a lone POST /api/scans would
   * answer. Sent again, it records nothing new and answers the same.
   */
  @Post('batch')
  @HttpCode(200)
  @Allow(['OPERATOR'], { operatorScope: 'each-item' })
  @ApiOperation({
    summary: 'Record a batch of scans',
    description:
      "Up to 1000 scans (body up to 1 MB), all written in one transaction; one result per scan in the order sent, accepted or refused alone with the code a lone POST /api/scans would answer. Idempotent by scanId, shared with POST /api/scans. An envelope that is not a batch is a 400 for the whole request.",
  })
  @ApiOkResponse({ type: RecordScanBatchResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS)
  async record(@Body() body: RecordScanBatchRequestDto, @Ctx() ctx: RequestContext): Promise<BatchResult> {
    const results = (await this.commandBus.execute(new RecordScanBatchCommand(body, ctx))).map(lineOf);
    const position = Math.max(0, ...results.map((r) => (r.status === 'accepted' ? r.position : 0)));
    return { results, position };
  }
}
