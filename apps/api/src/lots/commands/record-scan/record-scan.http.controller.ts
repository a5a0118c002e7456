import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { recordScanResult } from './record-scan.mapping';
import { RecordScanCommand } from './record-scan.command';
import { RecordScanRequestDto } from './record-scan.request.dto';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { RecordScanResponse } from './record-scan.response';

@ApiTags('scans')
@Controller('scans')
export class RecordScanHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** The same scanId sent again (by the same key) records nothing and answers exactly as the first time. */
  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'facilityId' } })
  @ApiOperation({
    summary: 'Record a scan',
    description:
      'RECEIVE, STORE (needs zoneId), DISINFECT, SAMPLE, DISPATCH (needs toFacilityId) or SELL (needs quantity). A scan revealing a violation is recorded and blocks the lot; a DISPATCH onwards or a SELL the rules forbid is refused. The same scanId and body again: the first answer, nothing recorded.',
  })
  @ApiCreatedResponse({ type: RecordScanResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, {
    400: ['INVALID_QUANTITY'],
    404: ['LOT_NOT_FOUND', 'FACILITY_NOT_FOUND'],
    409: ['IDEMPOTENCY_KEY_REUSED'],
    422: [
      'TRADE_BLOCKED',
      'SALE_BLOCKED',
      'ZONE_NOT_IN_FACILITY',
      'OCCURRED_BEFORE_ENTRY',
      'SALE_BEFORE_RECEIPT',
      'DISPATCH_BEFORE_RECEIPT',
      'DISPATCH_TO_SAME_FACILITY',
      'PARTIAL_DISPATCH_NOT_SUPPORTED',
      'QUANTITY_EXHAUSTED',
      'QUANTITY_EXCEEDS_REMAINING',
      'LOT_DESTROYED',
      'UNIT_MISMATCH',
    ],
  })
  async record(@Body() body: RecordScanRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new RecordScanCommand(body, ctx)), (r) => ({ status: 201, body: recordScanResult(body, r) }));
  }
}
