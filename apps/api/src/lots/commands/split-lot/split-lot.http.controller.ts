import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SplitLotCommand } from './split-lot.command';
import { SplitLotRequestDto } from './split-lot.request.dto';

@Controller('lots')
export class SplitLotHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':traceCode/splits')
  @Allow(['OPERATOR'], { operatorScope: 'lot-held' })
  async split(@Param('traceCode') traceCode: string, @Body() body: SplitLotRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { status, body: result } = await this.commandBus.execute(new SplitLotCommand(traceCode, body, ctx));
    res.status(status);
    return result;
  }
}
