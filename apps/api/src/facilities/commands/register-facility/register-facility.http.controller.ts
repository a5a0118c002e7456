import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { answer, streamOf } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { RegisterFacilityCommand, RegisterFacilityResult } from './register-facility.command';
import { RegisterFacilityRequestDto } from './register-facility.request.dto';

@Controller('facilities')
export class RegisterFacilityHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @Allow(['ADMIN'])
  async register(@Body() body: RegisterFacilityRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new RegisterFacilityCommand(body, ctx)), (r) => {
      const result: RegisterFacilityResult = { id: body.id, version: streamOf(r, body.id).version, position: r.position };
      return { status: 201, body: result };
    });
  }
}
