import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../access/route-policy';
import { Ctx, type RequestContext } from '../common/http/request-context';
import { DestroyLotCommand } from './commands/destroy-lot/destroy-lot.command';
import { RecallLotCommand } from './commands/recall-lot/recall-lot.command';
import { RecallLotRequestDto } from './commands/recall-lot/recall-lot.request.dto';
import { UnlockLotCommand } from './commands/unlock-lot/unlock-lot.command';
import { LockLotCommand } from './commands/lock-lot/lock-lot.command';
import { RegulatorReasonRequestDto } from './commands/lock-lot/lock-lot.request.dto';

/** Regulator actions on a lot; lock, unlock and recall reach every descendant too. */
@Controller('lots')
@Allow(['REGULATOR'])
export class RegulatorActionsHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':traceCode/lock')
  @HttpCode(200)
  async lock(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext) {
    return (await this.commandBus.execute(new LockLotCommand(traceCode, body.reason, ctx))).body;
  }

  @Post(':traceCode/unlock')
  @HttpCode(200)
  async unlock(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext) {
    return (await this.commandBus.execute(new UnlockLotCommand(traceCode, body.reason, ctx))).body;
  }

  @Post(':traceCode/recall')
  async recall(
    @Param('traceCode') traceCode: string,
    @Body() body: RecallLotRequestDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { status, body: result } = await this.commandBus.execute(new RecallLotCommand(traceCode, body, ctx));
    res.status(status);
    return result;
  }

  @Post(':traceCode/destroy')
  @HttpCode(200)
  async destroy(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext) {
    return (await this.commandBus.execute(new DestroyLotCommand(traceCode, body.reason, ctx))).body;
  }
}
