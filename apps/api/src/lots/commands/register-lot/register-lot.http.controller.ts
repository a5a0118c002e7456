import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { RegisterLotCommand } from './register-lot.command';
import { RegisterLotRequestDto } from './register-lot.request.dto';

@Controller('lots')
export class RegisterLotHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'portOfEntryId' } })
  async register(@Body() body: RegisterLotRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { status, body: result } = await this.commandBus.execute(new RegisterLotCommand(body, ctx));
    res.status(status);
    return result;
  }
}
