import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { isLocked, LotCommand, lotDecider } from '@app/domain';
import { StoredResponse } from '@app/event-store';
import { GenealogyReader } from '@app/read-models';
import { LotBatchExecutor, LotPlan } from '../../lot-batch.executor';
import { lockedFamily } from '../../lot-propagation';
import { eventMetadata } from '../../../common/http/request-context';
import { AttachDocumentCommand, AttachDocumentResult } from './attach-document.command';

/**
 * Attaches a document. A POSITIVE nucleic-acid result locks the lot and, in
 * the same transaction, recalls the whole batch: every import lot it descends
 * from and every descendant of those (siblings and cousins included).
 */
@CommandHandler(AttachDocumentCommand)
export class AttachDocumentHandler implements ICommandHandler<AttachDocumentCommand> {
  constructor(
    @Inject(LotBatchExecutor) private readonly batch: LotBatchExecutor,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
  ) {}

  async execute({ traceCode, request: r, context }: AttachDocumentCommand): Promise<StoredResponse<AttachDocumentResult>> {
    const recallId = randomUUID();
    let locked = false;
    let recalled = false;
    return this.batch.run<AttachDocumentResult>({
      primary: traceCode,
      metadata: eventMetadata(context),
      plan: async (load, manager) => {
        const now = new Date();
        const target = (await load([traceCode])).get(traceCode)!.state;
        const attached = lotDecider.decide(
          {
            type: 'AttachDocument',
            data: {
              document: { type: r.type, number: r.number, issuer: r.issuer, issuedAt: r.issuedAt, validUntil: r.validUntil ?? null, result: r.result ?? null },
            },
          },
          target,
          now,
        );
        const after = attached.reduce(lotDecider.evolve, target);
        locked = isLocked(after);
        recalled = attached.some((e) => e.type === 'DocumentAttached' && e.data.document.result === 'POSITIVE');
        if (!recalled) return [{ traceCode, events: attached }];

        const batch = await lockedFamily(this.genealogy, load, manager, await this.genealogy.roots(traceCode, manager));
        const recall: LotCommand = {
          type: 'RecallLot',
          data: { recallId, origin: traceCode, reason: `nucleic-acid test ${r.number} of lot ${traceCode} is POSITIVE`, source: 'POSITIVE_TEST' },
        };
        const lots = await load(batch);
        const plan: LotPlan = batch
          .filter((tc) => tc !== traceCode && lots.get(tc)!.state.registered)
          .map((tc) => ({ traceCode: tc, events: lotDecider.decide(recall, lots.get(tc)!.state, now) }));
        return [{ traceCode, events: [...attached, ...lotDecider.decide(recall, after, now)] }, ...plan];
      },
      // Nothing decided = the same document was sent again: answer 200, not 201.
      respond: (result, plan) => {
        const mine = result.streams.find((s) => s.streamId === `lot-${traceCode}`);
        return {
          status: plan.every((p) => p.events.length === 0) ? 200 : 201,
          body: {
            traceCode,
            version: mine?.nextVersion ?? 0,
            position: result.position,
            events: (mine?.events ?? []).map((e) => ({ type: e.type, version: e.version })),
            locked,
            ...(recalled ? { recallId, lotsRecalled: plan.filter((p) => p.events.some((e) => e.type === 'LotRecalled')).length } : {}),
          },
        };
      },
    });
  }
}
