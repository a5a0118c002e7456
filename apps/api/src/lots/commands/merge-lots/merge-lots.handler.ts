import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decideMerge, lotDecider } from '@app/domain';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { MergeLotsCommand, MergeLotsResult } from './merge-lots.command';

/** Repacks portions of several lots held at one facility into a new lot, in one transaction. */
@CommandHandler(MergeLotsCommand)
export class MergeLotsHandler implements ICommandHandler<MergeLotsCommand> {
  constructor(
    @Inject(LotBatchExecutor) private readonly batch: LotBatchExecutor,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ request, context }: MergeLotsCommand) {
    const facility = await this.facilities.get(request.facilityId, 'facilityId');
    return this.batch.run<MergeLotsResult, Pick<MergeLotsResult, 'parents' | 'quantity'>>({
      primary: request.traceCode,
      metadata: eventMetadata(context, { causationId: request.mergeId, facilityId: facility.id }),
      idempotency: { key: idempotencyKey(context, `merge:${request.mergeId}`), requestHash: requestHash(request) },
      plan: async (load) => {
        const now = new Date();
        const lots = await load([request.traceCode, ...request.parents.map((p) => p.traceCode)]);
        const decision = decideMerge(
          {
            mergeId: request.mergeId,
            traceCode: request.traceCode,
            facility,
            occurredAt: request.occurredAt ?? now.toISOString(),
            parents: request.parents.map((p) => ({ portion: { ...p }, state: lots.get(p.traceCode)!.state })),
          },
          lots.get(request.traceCode)!.state,
          now,
        );
        const parents = decision.parents.map((p) => ({
          traceCode: p.traceCode,
          quantity: request.parents.find((x) => x.traceCode === p.traceCode)!.quantity,
          remaining: p.events.reduce(lotDecider.evolve, lots.get(p.traceCode)!.state).quantity!.remaining,
        }));
        const quantity = decision.child.reduce(lotDecider.evolve, lots.get(request.traceCode)!.state).quantity!.initial;
        return { lots: [...decision.parents, { traceCode: request.traceCode, events: decision.child }], outcome: { parents, quantity } };
      },
      respond: (result, { outcome }) => ({
        status: 201,
        body: { mergeId: request.mergeId, traceCode: request.traceCode, quantity: outcome.quantity, parents: outcome.parents, position: result.position },
      }),
    });
  }
}
