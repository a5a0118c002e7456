import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import { lotCommandResult, LotCommandRunner } from '../../lot-command.runner';
import { AttachDocumentCommand, AttachDocumentResult } from './attach-document.command';

@CommandHandler(AttachDocumentCommand)
export class AttachDocumentHandler implements ICommandHandler<AttachDocumentCommand> {
  constructor(@Inject(LotCommandRunner) private readonly lots: LotCommandRunner) {}

  async execute({ traceCode, request: r, context }: AttachDocumentCommand): Promise<StoredResponse<AttachDocumentResult>> {
    const { response } = await this.lots.run<AttachDocumentResult>({
      traceCode,
      context,
      command: {
        type: 'AttachDocument',
        data: {
          document: {
            type: r.type,
            number: r.number,
            issuer: r.issuer,
            issuedAt: r.issuedAt,
            validUntil: r.validUntil ?? null,
            result: r.result ?? null,
          },
        },
      },
      // Nothing decided = the same document was sent again: answer 200, not 201.
      respond: (result, decided, after) => ({
        status: decided.length === 0 ? 200 : 201,
        body: { ...lotCommandResult(traceCode, result), locked: after.lock !== null },
      }),
    });
    return response;
  }
}
