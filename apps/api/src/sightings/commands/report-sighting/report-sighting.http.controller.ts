import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { ReportSightingCommand } from './report-sighting.command';
import { ReportSightingRequestDto } from './report-sighting.request.dto';
import { ReportSightingResponse } from './report-sighting.response';

@ApiTags('sightings')
@Controller('sightings')
export class ReportSightingHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'facilityId' } })
  @ApiOperation({
    summary: 'Report a lot found where it was not sent',
    description:
      'A lot that turns up at one of the key\'s facilities although it was not dispatched there (a mis-delivery, a diversion, a pack whose code is not ours) is reported, not scanned: the sighting is listed for regulators and changes nothing on the lot (custody, who may see it, eligibility). Answered the same whether or not the code is known. The same reportId and body again: the first answer, nothing recorded.',
  })
  @ApiCreatedResponse({ type: ReportSightingResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['FACILITY_NOT_FOUND'], 409: ['IDEMPOTENCY_KEY_REUSED'] })
  async report(@Body() body: ReportSightingRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply) {
    return answer(res, await this.commandBus.execute(new ReportSightingCommand(body, ctx)), (r) => ({ status: 201, body: { ...r.outcome, position: r.position } }));
  }
}
