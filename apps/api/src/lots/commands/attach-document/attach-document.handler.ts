import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LotDocument } from '@app/domain';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { eventMetadata } from '../../../common/http/request-context';
import { LotCommands } from '../../lot-commands';
import { AttachDocumentCommand } from './attach-document.command';

/** Attaches a document; the domain decides where it reaches and, for a POSITIVE result, the batch's recall. */
@CommandHandler(AttachDocumentCommand)
export class AttachDocumentHandler implements ICommandHandler<AttachDocumentCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request: r, context }: AttachDocumentCommand) {
    const document: LotDocument = { type: r.type, number: r.number, issuer: r.issuer, issuedAt: r.issuedAt, validUntil: r.validUntil ?? null, result: r.result ?? null };
    return this.lots.run(
      { type: 'AttachDocument', traceCode, data: { document, timePolicy: this.config.timePolicy }, recallId: randomUUID() },
      { metadata: eventMetadata(context) },
    );
  }
}
