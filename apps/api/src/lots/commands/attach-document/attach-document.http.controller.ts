import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { lotCommandResult } from '../../lot-command.result';
import { AttachDocumentCommand, AttachDocumentResult } from './attach-document.command';
import { AttachDocumentRequestDto } from './attach-document.request.dto';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { AttachDocumentResponse } from './attach-document.response';

@ApiTags('lots')
@Controller('lots')
export class AttachDocumentHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 201 with what was recorded; the identical document again records nothing and answers 200. */
  @Post(':traceCode/documents')
  @Allow(['INSPECTOR'])
  @ApiOperation({
    summary: 'Attach a document',
    description:
      'Customs declaration or one of the three certificates; it reaches every descendant without a valid one of that type. The identical document again: 200, nothing recorded. A POSITIVE nucleic-acid test locks the lot and recalls its whole batch.',
  })
  @ApiCreatedResponse({ type: AttachDocumentResponse, description: 'Recorded' })
  @ApiOkResponse({ type: AttachDocumentResponse, description: 'The identical document was on file: nothing recorded' })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['LOT_NOT_FOUND'], 409: ['DOCUMENT_CONFLICT'], 422: ['OCCURRED_BEFORE_ENTRY'] })
  async attach(
    @Param('traceCode') traceCode: string,
    @Body() body: AttachDocumentRequestDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return answer(res, await this.commandBus.execute(new AttachDocumentCommand(traceCode, body, ctx)), (r) => {
      const { outcome } = r;
      const result: AttachDocumentResult = {
        ...lotCommandResult(traceCode, r),
        locked: outcome.locked,
        documentReached: outcome.documentReached,
        ...(outcome.recall ? { recallId: outcome.recall.recallId, lotsRecalled: outcome.recall.lotsRecalled } : {}),
      };
      return { status: r.streams.every((s) => s.events.length === 0) ? 200 : 201, body: result };
    });
  }
}
