import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { CaptureJobDto } from '../../capture/capture-job';
import { GetCaptureJobQuery } from './get-capture-job.query';
import { ApiErrors } from '../../../common/http/api-error.response';

@ApiTags('epcis')
@Controller('epcis/capture')
export class GetCaptureJobHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The job of a capture, by the key that captured it (404 CAPTURE_JOB_NOT_FOUND for any other). */
  @Get(':captureId')
  // Jobs are scoped by key, not facility: the query finds only the caller's own.
  @Allow(['OPERATOR', 'INSPECTOR', 'REGULATOR'], { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: 'An EPCIS capture job: which events were recorded, which refused and why' })
  @ApiOkResponse({ type: CaptureJobDto })
  @ApiErrors({ 404: ['CAPTURE_JOB_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] })
  get(@Param('captureId') captureId: string, @Ctx() ctx: RequestContext): Promise<CaptureJobDto> {
    return this.queryBus.execute(new GetCaptureJobQuery(captureId, ctx.principal));
  }
}
