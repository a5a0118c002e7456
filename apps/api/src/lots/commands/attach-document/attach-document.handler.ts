import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from 'typeorm';
import { AttachDocument, decideDocumentAttachment, DocumentAlsoOn, DocumentAttachmentDecision, lotStreamId, LotState, paperLines } from '@app/domain';
import { StoredResponse } from '@app/event-store';
import { DocumentIndexReader, GenealogyReader } from '@app/read-models';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { eventMetadata } from '../../../common/http/request-context';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { lockedFamily } from '../../lot-propagation';
import { AttachDocumentCommand, AttachDocumentResult } from './attach-document.command';

/**
 * Attaches a document to a lot; it reaches the lot's descendants, and a
 * POSITIVE result recalls the batch, all decided by the domain
 * (decideDocumentAttachment) in one transaction that holds every lot it read.
 */
@CommandHandler(AttachDocumentCommand)
export class AttachDocumentHandler implements ICommandHandler<AttachDocumentCommand> {
  constructor(
    @Inject(LotBatchExecutor) private readonly batch: LotBatchExecutor,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
    @Inject(DocumentIndexReader) private readonly documents: DocumentIndexReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request: r, context }: AttachDocumentCommand): Promise<StoredResponse<AttachDocumentResult>> {
    const document = { type: r.type, number: r.number, issuer: r.issuer, issuedAt: r.issuedAt, validUntil: r.validUntil ?? null, result: r.result ?? null };
    return this.batch.run<AttachDocumentResult, DocumentAttachmentDecision>({
      primary: traceCode,
      metadata: eventMetadata(context),
      plan: async (load, manager) => {
        const family = await lockedFamily(this.genealogy, load, manager, [traceCode]);
        const batch = document.result === 'POSITIVE' ? await lockedFamily(this.genealogy, load, manager, await this.genealogy.roots(traceCode, manager)) : [];
        const lots = await load([...new Set([traceCode, ...family, ...batch])]);
        const states = new Map([...lots].map(([tc, l]) => [tc, l.state]));
        const command: AttachDocument = {
          type: 'AttachDocument',
          data: { document, alsoOn: await this.alsoOn(document, states.get(traceCode)!, traceCode, manager), timePolicy: this.config.timePolicy },
        };
        const decision = decideDocumentAttachment(
          { traceCode, command, lots: states, descendants: await this.descendants(traceCode, family, manager), batch, recallId: randomUUID() },
          new Date(),
        );
        return { lots: decision.lots, outcome: decision };
      },
      respond: (result, { outcome }) => {
        const mine = result.streams.find((s) => s.streamId === lotStreamId(traceCode));
        return {
          // Nothing decided = the same document was sent again: answer 200, not 201.
          status: outcome.lots.every((p) => p.events.length === 0) ? 200 : 201,
          body: {
            traceCode,
            version: mine?.nextVersion ?? 0,
            position: result.position,
            events: (mine?.events ?? []).map((e) => ({ type: e.type, version: e.version })),
            locked: outcome.locked,
            documentReached: outcome.lots.filter((p) => p.traceCode !== traceCode && p.events.some((e) => e.type === 'DocumentAttached')).length,
            ...(outcome.recall ? { recallId: outcome.recall.recallId, lotsRecalled: outcome.recall.lotsRecalled } : {}),
          },
        };
      },
    });
  }

  /** Each descendant and the parent it came through (null when every one of its parents descends from the lot). */
  private async descendants(traceCode: string, family: readonly string[], manager: EntityManager) {
    const links = await this.genealogy.linksAmong(family, manager);
    return family
      .filter((tc) => tc !== traceCode)
      .map((tc) => {
        const parents = links.filter((l) => l.child === tc).map((l) => l.parent);
        return { traceCode: tc, viaParent: parents.length === 1 ? parents[0] : null };
      });
  }

  /** Other lots with this very document, and whether each shares a genealogy or an import declaration with this lot. */
  private async alsoOn(document: AttachDocument['data']['document'], state: LotState, traceCode: string, manager: EntityManager): Promise<DocumentAlsoOn[]> {
    const others = await this.documents.lotsCarrying(document, traceCode, manager);
    if (others.length === 0) return [];
    const roots = new Set(await this.genealogy.roots(traceCode, manager));
    const declarations = new Set(
      paperLines(state)
        .flatMap((line) => line.documents)
        .filter((d) => d.type === 'CUSTOMS_DECLARATION')
        .map((d) => d.number),
    );
    if (document.type === 'CUSTOMS_DECLARATION') declarations.add(document.number);
    const theirs = await this.documents.declarations(others, manager);
    const found: DocumentAlsoOn[] = [];
    for (const other of others) {
      found.push({
        traceCode: other,
        sameGenealogy: (await this.genealogy.roots(other, manager)).some((r) => roots.has(r)),
        sameDeclaration: [...theirs.get(other)!].some((n) => declarations.has(n)),
      });
    }
    return found;
  }
}
