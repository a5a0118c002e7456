import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DocumentAlsoOn, LotDocument, LotState, paperLines } from '@app/domain';
import { DocumentIndexReader, GenealogyReader } from '@app/read-models';
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
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
    @Inject(DocumentIndexReader) private readonly documents: DocumentIndexReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request: r, context }: AttachDocumentCommand) {
    const document: LotDocument = { type: r.type, number: r.number, issuer: r.issuer, issuedAt: r.issuedAt, validUntil: r.validUntil ?? null, result: r.result ?? null };
    return this.lots.run({
      type: 'AttachDocument',
      primary: traceCode,
      metadata: eventMetadata(context),
      command: async (family, lots) => ({
        type: 'AttachDocument' as const,
        traceCode,
        data: { document, alsoOn: await this.alsoOn(document, (await lots([traceCode])).get(traceCode)!, traceCode), timePolicy: this.config.timePolicy },
        descendants: await family.descendantsWithParent(traceCode),
        batch: document.result === 'POSITIVE' ? await family.batch(traceCode) : [],
        recallId: randomUUID(),
      }),
    });
  }

  /** Other lots with this very document, and whether each shares a genealogy or an import declaration with this lot. */
  private async alsoOn(document: LotDocument, state: LotState, traceCode: string): Promise<DocumentAlsoOn[]> {
    const others = await this.documents.lotsCarrying(document, traceCode);
    if (others.length === 0) return [];
    const roots = new Set(await this.genealogy.roots(traceCode));
    // The lot's customs declarations, its own and those it carries from its parents.
    const mine = new Set(
      paperLines(state)
        .flatMap((line) => line.documents)
        .filter((d) => d.type === 'CUSTOMS_DECLARATION')
        .map((d) => d.number),
    );
    if (document.type === 'CUSTOMS_DECLARATION') mine.add(document.number);
    const theirs = await this.documents.declarations(others);
    const found: DocumentAlsoOn[] = [];
    for (const other of others) {
      found.push({
        traceCode: other,
        sameGenealogy: (await this.genealogy.roots(other)).some((r) => roots.has(r)),
        sameDeclaration: [...theirs.get(other)!].some((n) => mine.has(n)),
      });
    }
    return found;
  }
}
