import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { lotCommandResult } from '../../lot-command.result';
import { RegisterLotCommand } from './register-lot.command';
import { RegisterLotRequestDto } from './register-lot.request.dto';

@Controller('lots')
export class RegisterLotHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 201 {traceCode, version, position, events}: the lot is held at its port of entry. */
  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'portOfEntryId' } })
  async register(@Body() body: RegisterLotRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new RegisterLotCommand(body, ctx)), (r) => ({ status: 201, body: lotCommandResult(body.traceCode, r) }));
  }
}
