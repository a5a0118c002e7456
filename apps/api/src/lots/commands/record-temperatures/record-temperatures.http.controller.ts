import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { LotCommandResult, lotCommandResult } from '../../lot-command.result';
import { RecordTemperaturesCommand, RecordTemperaturesOutcome } from './record-temperatures.command';
import { RecordTemperaturesRequestDto } from './record-temperatures.request.dto';
import { RecordTemperaturesResponse } from './record-temperatures.response';

export type RecordTemperaturesResult = LotCommandResult & RecordTemperaturesOutcome;

@ApiTags('lots')
@Controller('lots')
export class RecordTemperaturesHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 201 when anything new was recorded; a resend of readings already logged records nothing and answers 200. */
  @Post(':traceCode/temperatures')
  @Allow(['OPERATOR'], { operatorScope: 'lot-held' })
  @ApiOperation({
    summary: "Upload a device's temperature readings",
    description:
      "Up to 10,000 readings of one logger (reefer, cold room, truck) for the lot, in any order. A reading is known by (deviceId, at): readings already logged are not recorded again, so a resend answers 200 and records nothing. The whole log (inherited part included) is judged again: an excursion beyond the tolerance raises TEMPERATURE_EXCURSION, a gap TEMPERATURE_LOG_GAP, and beyond the hard limit the lot is held (violation TEMPERATURE_ABUSE) until a regulator resolves it. An operator uploads for lots its facility held, dispatched or was receiving when the last reading was taken.",
  })
  @ApiCreatedResponse({ type: RecordTemperaturesResponse, description: 'Readings recorded' })
  @ApiOkResponse({ type: RecordTemperaturesResponse, description: 'Every reading was logged already: nothing recorded' })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  async record(
    @Param('traceCode') traceCode: string,
    @Body() body: RecordTemperaturesRequestDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return answer(res, await this.commandBus.execute(new RecordTemperaturesCommand(traceCode, body, ctx)), (r) => {
      const result: RecordTemperaturesResult = { ...lotCommandResult(traceCode, r), ...r.outcome };
      return { status: r.outcome.recorded === 0 ? 200 : 201, body: result };
    });
  }
}
