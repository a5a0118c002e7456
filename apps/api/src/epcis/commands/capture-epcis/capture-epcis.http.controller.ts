import { Body, Controller, Headers, HttpCode, Inject, Options, Post, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiHeader, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, Public } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { CaptureJobDto } from '../../capture/capture-job';
import { CAPTURE_ERROR_BEHAVIOUR_HEADER, CaptureErrorBehaviourInterceptor, captureErrorBehaviourOf } from '../../capture/capture-error-behaviour';
import { CAPTURE_LIMIT_HEADERS, MAX_CAPTURE_BYTES, MAX_CAPTURE_EVENTS } from '../../capture/capture-limits';
import { EpcisDocumentPipe, type EpcisDocument } from '../../capture/epcis-document.pipe';
import { MAX_SCHEMA_FAULTS } from '../../capture/epcis-schema';
import { OneCapturePerKeyInterceptor } from '../../capture/one-capture-per-key.interceptor';
import { CaptureEpcisCommand } from './capture-epcis.command';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';

/** Where a capture's job is read back (GET, by the key that captured). */
export const CAPTURE_PATH = '/api/epcis/capture';

const LIMIT_HEADER_DOCS = {
  'GS1-EPCIS-Capture-Limit': { description: 'Events a document may hold', schema: { type: 'string' as const, example: String(MAX_CAPTURE_EVENTS) } },
  'GS1-EPCIS-Capture-File-Size-Limit': { description: 'Bytes a document may take', schema: { type: 'string' as const, example: String(MAX_CAPTURE_BYTES) } },
};

@ApiTags('epcis')
@Controller('epcis/capture')
export class CaptureEpcisHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /**
   * What the capture route takes, as GS1's capture interface says it:
   * public (limits are no secret, and a client asks before it sends), 204
   * with the limits in GS1's headers.
   */
  @Options()
  @HttpCode(204)
  @Public({ rateLimited: false })
  @ApiOperation({ summary: "The capture route's limits (GS1-EPCIS-Capture-Limit, GS1-EPCIS-Capture-File-Size-Limit) and methods (Allow)" })
  @ApiNoContentResponse({ description: 'The limits, in headers', headers: LIMIT_HEADER_DOCS })
  options(@Res({ passthrough: true }) res: FastifyReply): void {
    res.headers({ Allow: 'OPTIONS, POST', 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0', ...CAPTURE_LIMIT_HEADERS });
  }

  /**
   * EPCIS 2.0 capture, one at a time per key (429 CAPTURE_IN_PROGRESS). The
   * events are counted (413 over MAX_CAPTURE_EVENTS), the document checked
   * against GS1's schema (400 EPCIS_INVALID, nothing recorded), then
   * captured as a job: inside the request up to EPCIS_CAPTURE_INLINE_EVENTS
   * (the 202 carries the finished job), in the background beyond (the 202
   * carries it running). An event whose route the key's role may not call,
   * or at a facility not the key's, is refused on its own (FORBIDDEN in
   * `errors`), as in a scan batch. Sent again, it records nothing new.
   */
  @Post()
  @HttpCode(202)
  @Allow(['OPERATOR', 'INSPECTOR', 'REGULATOR'], { operatorScope: 'each-item' })
  @UseInterceptors(CaptureErrorBehaviourInterceptor, OneCapturePerKeyInterceptor)
  @ApiOperation({
    summary: 'Capture an EPCIS 2.0 document: its events become registrations, documents, scans, splits, merges, recalls, locks and destructions',
    description: `At most ${MAX_CAPTURE_EVENTS} events and ${MAX_CAPTURE_BYTES} bytes (413 PAYLOAD_TOO_LARGE), one capture at a time per key (429 CAPTURE_IN_PROGRESS, Retry-After). Checked against GS1's schema (400 EPCIS_INVALID, at most ${MAX_SCHEMA_FAULTS} faults, nothing recorded), then each event judged as the JSON route it maps to judges its request (the key's role for it, its facilities, validation, the domain). ${CAPTURE_ERROR_BEHAVIOUR_HEADER}: rollback (the default) records nothing when any event is refused, listing the refused ones in the job's \`errors\`; proceed reports the events refused and records the others. A large document (more than EPCIS_CAPTURE_INLINE_EVENTS events, 1000 by default) is answered at once with its job running; read it at Location until running is false. Sent again, it records nothing new.`,
  })
  @ApiHeader({ name: CAPTURE_ERROR_BEHAVIOUR_HEADER, required: false, enum: ['rollback', 'proceed'], description: 'rollback (default) or proceed; anything else 400 VALIDATION_FAILED' })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 400: ['EPCIS_INVALID'], 429: ['CAPTURE_IN_PROGRESS'] })
  @ApiConsumes('application/json', 'application/ld+json')
  @ApiBody({ description: "An EPCISDocument, as GS1's EPCIS 2.0 JSON Schema defines it", schema: { type: 'object', additionalProperties: true } })
  @ApiAcceptedResponse({
    type: CaptureJobDto,
    description: 'Captured (the finished job), or captured in the background (the job running); also at Location',
    headers: { Location: { description: '/api/epcis/capture/<captureID>', schema: { type: 'string' } }, ...LIMIT_HEADER_DOCS },
  })
  async capture(
    @Body(EpcisDocumentPipe) document: EpcisDocument,
    @Headers(CAPTURE_ERROR_BEHAVIOUR_HEADER.toLowerCase()) behaviour: string | undefined,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<CaptureJobDto> {
    const job = await this.commandBus.execute(new CaptureEpcisCommand(document, ctx, captureErrorBehaviourOf(behaviour)));
    res.headers({ Location: `${CAPTURE_PATH}/${job.captureID}`, ...CAPTURE_LIMIT_HEADERS });
    return job;
  }
}
