import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../access/route-policy';
import { answer } from '../common/http/answer';
import { Ctx, type RequestContext } from '../common/http/request-context';
import { DestroyLotCommand } from './commands/destroy-lot/destroy-lot.command';
import { LockLotCommand } from './commands/lock-lot/lock-lot.command';
import { RegulatorReasonRequestDto } from './commands/lock-lot/lock-lot.request.dto';
import { RecallLotCommand, RecallLotResult } from './commands/recall-lot/recall-lot.command';
import { RecallLotRequestDto } from './commands/recall-lot/recall-lot.request.dto';
import { UnlockLotCommand } from './commands/unlock-lot/unlock-lot.command';
import { lotCommandResult, regulatorActionResult } from './lot-command.result';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../common/http/api-error.response';
import { LockStateResponse } from './commands/lock-lot/lock-lot.response';
import { RecallLotResponse } from './commands/recall-lot/recall-lot.response';
import { LotCommandResponse } from './lot-command.response';

/** Regulator actions on a lot; lock, unlock and recall reach every descendant too. */
@ApiTags('lots')
@Controller('lots')
@Allow(['REGULATOR'])
export class RegulatorActionsHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':traceCode/lock')
  @ApiOperation({ summary: 'Lock a lot', description: 'The lot and every descendant, wherever it is; each gets its own event naming the ancestor and why.' })
  @ApiOkResponse({ type: LockStateResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['LOT_NOT_FOUND'], 409: ['LOT_ALREADY_LOCKED'] })
  async lock(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new LockLotCommand(traceCode, body.reason, ctx)), (r) => ({
      status: 200,
      body: { ...regulatorActionResult(traceCode, r), locked: r.outcome.locked },
    }));
  }

  @Post(':traceCode/unlock')
  @ApiOperation({ summary: 'Unlock a lot', description: "Lifts the lot's own lock and the lock it put on its descendants (a recall stays)." })
  @ApiOkResponse({ type: LockStateResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['LOT_NOT_FOUND'], 409: ['LOT_NOT_LOCKED'] })
  async unlock(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new UnlockLotCommand(traceCode, body.reason, ctx)), (r) => ({
      status: 200,
      body: { ...regulatorActionResult(traceCode, r), locked: r.outcome.locked },
    }));
  }

  @Post(':traceCode/recall')
  @ApiOperation({ summary: 'Recall a lot', description: 'The lot and every descendant, each with its own LotRecalled; permanent. With `recallId` the same recall again records nothing.' })
  @ApiCreatedResponse({ type: RecallLotResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['LOT_NOT_FOUND'], 409: ['IDEMPOTENCY_KEY_REUSED'] })
  async recall(@Param('traceCode') traceCode: string, @Body() body: RecallLotRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new RecallLotCommand(traceCode, body, ctx)), (r) => {
      const result: RecallLotResult = { ...regulatorActionResult(traceCode, r), recallId: r.outcome.recallId };
      return { status: 201, body: result };
    });
  }

  @Post(':traceCode/destroy')
  @ApiOperation({ summary: 'Destroy a lot', description: 'This lot only (its descendants are other cartons).' })
  @ApiOkResponse({ type: LotCommandResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['LOT_NOT_FOUND'], 409: ['LOT_ALREADY_DESTROYED'] })
  async destroy(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new DestroyLotCommand(traceCode, body.reason, ctx)), (r) => ({ status: 200, body: lotCommandResult(traceCode, r) }));
  }
}
