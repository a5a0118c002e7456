import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { answer, streamOf } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { RegisterFacilityCommand, RegisterFacilityResult } from './register-facility.command';
import { RegisterFacilityRequestDto } from './register-facility.request.dto';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { RegisterFacilityResponse } from './register-facility.response';

@ApiTags('facilities')
@Controller('facilities')
export class RegisterFacilityHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @Allow(['ADMIN'])
  @ApiOperation({ summary: 'Register a facility', description: 'A port of entry, central warehouse, wholesale market or retail store, with its zones.' })
  @ApiCreatedResponse({ type: RegisterFacilityResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 409: ['FACILITY_EXISTS'] })
  async register(@Body() body: RegisterFacilityRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new RegisterFacilityCommand(body, ctx)), (r) => {
      const result: RegisterFacilityResult = { id: body.id, version: streamOf(r, body.id).version, position: r.position };
      return { status: 201, body: result };
    });
  }
}
