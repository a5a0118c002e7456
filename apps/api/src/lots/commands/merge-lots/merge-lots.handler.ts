import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommands } from '../../lot-commands';
import { MergeLotsCommand } from './merge-lots.command';

/** Repacks portions of several lots held at one facility into a new lot, in one transaction. */
@CommandHandler(MergeLotsCommand)
export class MergeLotsHandler implements ICommandHandler<MergeLotsCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ request, context }: MergeLotsCommand) {
    const facility = await this.facilities.get(request.facilityId, 'facilityId');
    return this.lots.run(
      {
        type: 'MergeLots',
        by: context.principal,
        data: {
          mergeId: request.mergeId,
          traceCode: request.traceCode,
          facility,
          occurredAt: request.occurredAt ?? new Date().toISOString(),
          parents: request.parents.map((p) => ({ traceCode: p.traceCode, quantity: p.quantity })),
        },
      },
      {
        metadata: eventMetadata(context, { causationId: request.mergeId, facilityId: facility.id }),
        idempotency: { key: idempotencyKey(context, `merge:${request.mergeId}`), requestHash: requestHash(request) },
      },
    );
  }
}
