import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { regulatorActionResult } from '../../lot-command.result';
import { ResolveViolationCommand, ResolveViolationResult } from './resolve-violation.command';
import { ResolveViolationRequestDto } from './resolve-violation.request.dto';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { ResolveViolationResponse } from './resolve-violation.response';

@ApiTags('lots')
@Controller('lots')
export class ResolveViolationHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** The scan that caused the violation stays on file; the resolution (and any correction) is recorded beside it. */
  @Post(':traceCode/violations/:violationId/resolve')
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'Resolve a violation',
    description: 'The lot and every descendant that inherited it; with `correction`, where the lot in fact was is recorded as its own event and placed on the timeline like a scan.',
  })
  @ApiOkResponse({ type: ResolveViolationResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, {
    404: ['LOT_NOT_FOUND', 'VIOLATION_NOT_FOUND', 'FACILITY_NOT_FOUND'],
    409: ['VIOLATION_ALREADY_RESOLVED'],
    422: ['ZONE_NOT_IN_FACILITY', 'OCCURRED_BEFORE_ENTRY'],
  })
  async resolve(
    @Param('traceCode') traceCode: string,
    @Param('violationId') violationId: string,
    @Body() body: ResolveViolationRequestDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return answer(res, await this.commandBus.execute(new ResolveViolationCommand(traceCode, violationId, body, ctx)), (r) => {
      const result: ResolveViolationResult = { ...regulatorActionResult(traceCode, r), violationId, correctionId: r.outcome.correctionId };
      return { status: 200, body: result };
    });
  }
}
