import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { MergeLotsCommand, MergeLotsResult } from './merge-lots.command';
import { MergeLotsRequestDto } from './merge-lots.request.dto';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { MergeLotsResponse } from './merge-lots.response';

@ApiTags('lots')
@Controller('lots')
export class MergeLotsHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post('merges')
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'facilityId' } })
  @ApiOperation({ summary: 'Merge lots', description: 'A new lot repacked from portions of lots all held at `facilityId`; the same `mergeId` again answers the first answer.' })
  @ApiCreatedResponse({ type: MergeLotsResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, {
    400: ['INVALID_QUANTITY'],
    404: ['LOT_NOT_FOUND', 'FACILITY_NOT_FOUND'],
    409: ['LOT_EXISTS', 'IDEMPOTENCY_KEY_REUSED'],
    422: ['LOT_NOT_AT_FACILITY', 'UNIT_MISMATCH', 'PRODUCT_MISMATCH', 'QUANTITY_EXCEEDS_REMAINING', 'LOT_DESTROYED', 'OCCURRED_BEFORE_ENTRY'],
  })
  async merge(@Body() body: MergeLotsRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new MergeLotsCommand(body, ctx)), (r) => {
      const result: MergeLotsResult = { mergeId: body.mergeId, traceCode: body.traceCode, quantity: r.outcome.quantity, parents: r.outcome.parents, position: r.position };
      return { status: 201, body: result };
    });
  }
}
