import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { lotCommandResult } from '../../lot-command.result';
import { RegisterLotCommand } from './register-lot.command';
import { RegisterLotRequestDto } from './register-lot.request.dto';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { LotCommandResponse } from '../../lot-command.response';

@ApiTags('lots')
@Controller('lots')
export class RegisterLotHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 201 {traceCode, version, position, events}: the lot is held at its port of entry. */
  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'portOfEntryId' } })
  @ApiOperation({ summary: 'Register a lot', description: 'An imported lot arriving at its port of entry, where it is held from now on.' })
  @ApiCreatedResponse({ type: LotCommandResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 400: ['INVALID_QUANTITY'], 404: ['FACILITY_NOT_FOUND'], 409: ['LOT_EXISTS'], 422: ['FACILITY_TYPE_MISMATCH'] })
  async register(@Body() body: RegisterLotRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new RegisterLotCommand(body, ctx)), (r) => ({ status: 201, body: lotCommandResult(body.traceCode, r) }));
  }
}
