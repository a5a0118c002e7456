import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { answer, streamOf } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SplitLotCommand, SplitLotResult } from './split-lot.command';
import { SplitLotRequestDto } from './split-lot.request.dto';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { SplitLotResponse } from './split-lot.response';

@ApiTags('lots')
@Controller('lots')
export class SplitLotHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':traceCode/splits')
  @Allow(['OPERATOR'], { operatorScope: 'lot-held' })
  @ApiOperation({ summary: 'Split a lot', description: "New child lots at the parent's holder; the parent's remaining drops by their sum. The same `splitId` again answers the first answer." })
  @ApiCreatedResponse({ type: SplitLotResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, {
    400: ['INVALID_QUANTITY'],
    404: ['LOT_NOT_FOUND'],
    409: ['LOT_EXISTS', 'IDEMPOTENCY_KEY_REUSED'],
    422: ['QUANTITY_EXCEEDS_REMAINING', 'LOT_IN_TRANSIT', 'LOT_DESTROYED', 'OCCURRED_BEFORE_ENTRY'],
  })
  async split(@Param('traceCode') traceCode: string, @Body() body: SplitLotRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new SplitLotCommand(traceCode, body, ctx)), (r) => {
      const result: SplitLotResult = {
        splitId: body.splitId,
        traceCode,
        remaining: r.outcome.remaining,
        children: body.children.map((c) => ({ traceCode: c.traceCode, quantity: c.quantity, version: streamOf(r, c.traceCode).version })),
        position: r.position,
      };
      return { status: 201, body: result };
    });
  }
}
