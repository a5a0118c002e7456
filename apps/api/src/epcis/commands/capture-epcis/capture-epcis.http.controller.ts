import { Body, Controller, HttpCode, Inject, Post, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { CaptureJobDto } from '../../capture/capture-job';
import { MAX_CAPTURE_EVENTS } from '../../capture/capture-limits';
import { EpcisDocumentPipe, type EpcisDocument } from '../../capture/epcis-document.pipe';
import { MAX_SCHEMA_FAULTS } from '../../capture/epcis-schema';
import { OneCapturePerKeyInterceptor } from '../../capture/one-capture-per-key.interceptor';
import { CaptureEpcisCommand } from './capture-epcis.command';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';

/** Where a capture's job is read back (GET, by the key that captured). */
export const CAPTURE_PATH = '/api/epcis/capture';

@ApiTags('epcis')
@Controller('epcis/capture')
export class CaptureEpcisHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /**
   * EPCIS 2.0 capture, one at a time per key (429 CAPTURE_IN_PROGRESS). The
   * events are counted (413 over MAX_CAPTURE_EVENTS), the document checked
   * against GS1's schema (400 EPCIS_INVALID, nothing recorded), then captured
   * inside the request: the 202 comes with the finished job (and its
   * Location). An event whose route the key's role may not call, or at a
   * facility not the key's, is refused on its own (FORBIDDEN in `errors`),
   * as in a scan batch. Sent again, it records nothing new.
   */
  @Post()
  @HttpCode(202)
  @Allow(['OPERATOR', 'INSPECTOR', 'REGULATOR'], { operatorScope: 'each-item' })
  @UseInterceptors(OneCapturePerKeyInterceptor)
  @ApiOperation({
    summary: "Capture an EPCIS 2.0 document: its events become registrations, documents, scans, splits, merges, recalls, locks and destructions",
    description: `At most ${MAX_CAPTURE_EVENTS} events (413 PAYLOAD_TOO_LARGE), one capture at a time per key (429 CAPTURE_IN_PROGRESS, Retry-After). Checked against GS1's schema (400 EPCIS_INVALID, at most ${MAX_SCHEMA_FAULTS} faults, nothing recorded), then each event judged as the JSON route it maps to judges its request (the key's role for it, its facilities, validation, the domain): an event that maps to no Coldtrace command, or that the key's role or facilities or the rules refuse, is reported in the job's \`errors\` and the others still apply. Sent again, it records nothing new.`,
  })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 400: ['EPCIS_INVALID'], 429: ['CAPTURE_IN_PROGRESS'] })
  @ApiConsumes('application/json', 'application/ld+json')
  @ApiBody({ description: "An EPCISDocument, as GS1's EPCIS 2.0 JSON Schema defines it", schema: { type: 'object', additionalProperties: true } })
  @ApiAcceptedResponse({
    type: CaptureJobDto,
    description: 'Captured; the finished job, also at Location',
    headers: { Location: { description: '/api/epcis/capture/<captureID>', schema: { type: 'string' } } },
  })
  async capture(@Body(EpcisDocumentPipe) document: EpcisDocument, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply): Promise<CaptureJobDto> {
    const job = await this.commandBus.execute(new CaptureEpcisCommand(document, ctx));
    res.header('Location', `${CAPTURE_PATH}/${job.captureID}`);
    return job;
  }
}
