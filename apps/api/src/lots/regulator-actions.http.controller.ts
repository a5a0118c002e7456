import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
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

/** Regulator actions on a lot; lock, unlock and recall reach every descendant too. */
@Controller('lots')
@Allow(['REGULATOR'])
export class RegulatorActionsHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':traceCode/lock')
  async lock(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new LockLotCommand(traceCode, body.reason, ctx)), (r) => ({
      status: 200,
      body: { ...regulatorActionResult(traceCode, r), locked: r.outcome.locked },
    }));
  }

  @Post(':traceCode/unlock')
  async unlock(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new UnlockLotCommand(traceCode, body.reason, ctx)), (r) => ({
      status: 200,
      body: { ...regulatorActionResult(traceCode, r), locked: r.outcome.locked },
    }));
  }

  @Post(':traceCode/recall')
  async recall(@Param('traceCode') traceCode: string, @Body() body: RecallLotRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new RecallLotCommand(traceCode, body, ctx)), (r) => {
      const result: RecallLotResult = { ...regulatorActionResult(traceCode, r), recallId: r.outcome.recallId };
      return { status: 201, body: result };
    });
  }

  @Post(':traceCode/destroy')
  async destroy(@Param('traceCode') traceCode: string, @Body() body: RegulatorReasonRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new DestroyLotCommand(traceCode, body.reason, ctx)), (r) => ({ status: 200, body: lotCommandResult(traceCode, r) }));
  }
}
