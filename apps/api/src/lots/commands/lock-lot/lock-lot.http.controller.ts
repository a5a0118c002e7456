import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { UnlockLotCommand } from '../unlock-lot/unlock-lot.command';
import { LockLotCommand } from './lock-lot.command';
import { RegulatorReasonRequestDto } from './lock-lot.request.dto';

/** Regulator actions on one lot. */
@Controller('lots')
export class LockLotHttpController {
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
}
