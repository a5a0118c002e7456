import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LotDocument, LotFamilyRequest } from '@app/domain';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { eventMetadata, type RequestContext } from '../../../common/http/request-context';
import { LotCommandOf, LotCommands } from '../../lot-commands';
import { AttachDocumentCommand } from './attach-document.command';
import type { AttachDocumentRequestDto } from './attach-document.request.dto';

/** A document to attach as the lot command it is (for the documents route and EPCIS capture alike). */
export const attachDocument = (
  traceCode: string,
  r: AttachDocumentRequestDto,
  context: RequestContext,
  config: AppConfig,
): LotCommandOf<Extract<LotFamilyRequest, { type: 'AttachDocument' }>> => {
  const document: LotDocument = { type: r.type, number: r.number, issuer: r.issuer, issuedAt: r.issuedAt, validUntil: r.validUntil ?? null, result: r.result ?? null };
  return {
    command: { type: 'AttachDocument', traceCode, data: { document, timePolicy: config.timePolicy }, recallId: randomUUID() },
    context: { metadata: eventMetadata(context) },
  };
};

/** Attaches a document; the domain decides where it reaches and, for a POSITIVE result, the batch's recall. */
@CommandHandler(AttachDocumentCommand)
export class AttachDocumentHandler implements ICommandHandler<AttachDocumentCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request: r, context }: AttachDocumentCommand) {
    const { command, context: recorded } = attachDocument(traceCode, r, context, this.config);
    return this.lots.run(command, recorded);
  }
}
