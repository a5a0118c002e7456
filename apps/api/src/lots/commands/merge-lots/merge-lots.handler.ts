import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requestHash } from '../../../common/commands/request-hash';
import type { FacilityRef, LotFamilyRequest } from '@app/domain';
import { eventMetadata, idempotencyKey, type RequestContext } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommandOf, LotCommands } from '../../lot-commands';
import { MergeLotsCommand } from './merge-lots.command';
import type { MergeLotsRequestDto } from './merge-lots.request.dto';

/** A merge at `facility` as the lot command it is, idempotent by its mergeId (for the merges route and EPCIS capture alike). */
export const mergeLots = (request: MergeLotsRequestDto, facility: FacilityRef, context: RequestContext): LotCommandOf<Extract<LotFamilyRequest, { type: 'MergeLots' }>> => ({
  command: {
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
  context: {
    metadata: eventMetadata(context, { causationId: request.mergeId, facilityId: facility.id }),
    idempotency: { key: idempotencyKey(context, `merge:${request.mergeId}`), requestHash: requestHash(request) },
  },
});

/** Repacks portions of several lots held at one facility into a new lot, in one transaction. */
@CommandHandler(MergeLotsCommand)
export class MergeLotsHandler implements ICommandHandler<MergeLotsCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ request, context }: MergeLotsCommand) {
    const { command, context: recorded } = mergeLots(request, await this.facilities.get(request.facilityId, 'facilityId'), context);
    return this.lots.run(command, recorded);
  }
}
