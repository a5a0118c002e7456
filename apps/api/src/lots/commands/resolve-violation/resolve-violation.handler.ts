import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ResolveViolation } from '@app/domain';
import { GenealogyReader } from '@app/read-models';
import { eventMetadata } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { planForLotAndDescendants } from '../../lot-propagation';
import { regulatorActionResult } from '../../regulator-action.result';
import { ResolveViolationCommand, ResolveViolationResult } from './resolve-violation.command';

/**
 * A regulator's review of a violation, on the record: the lot, and every
 * descendant that inherited the violation, get their own ViolationResolved;
 * a correction of custody is recorded on the lot itself.
 */
@CommandHandler(ResolveViolationCommand)
export class ResolveViolationHandler implements ICommandHandler<ResolveViolationCommand> {
  constructor(
    @Inject(LotBatchExecutor) private readonly batch: LotBatchExecutor,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ traceCode, violationId, request, context }: ResolveViolationCommand) {
    const c = request.correction;
    const correction = c
      ? { correctionId: randomUUID(), facility: await this.facilities.get(c.facilityId, 'correction.facilityId'), zoneId: c.zoneId ?? null, occurredAt: c.occurredAt ?? null }
      : null;
    const onTarget: ResolveViolation = { type: 'ResolveViolation', data: { violationId, reason: request.reason, correction } };
    const onDescendant: ResolveViolation = { type: 'ResolveViolation', data: { violationId, reason: request.reason, correction: null, inheritedFrom: traceCode } };
    return this.batch.run<ResolveViolationResult, null>({
      primary: traceCode,
      metadata: eventMetadata(context, { causationId: violationId }),
      plan: async (load, manager) => ({
        lots: await planForLotAndDescendants(this.genealogy, load, manager, traceCode, onTarget, onDescendant, new Date()),
        outcome: null,
      }),
      respond: (result) => ({
        status: 200,
        body: { ...regulatorActionResult(traceCode, result), violationId, correctionId: correction?.correctionId ?? null },
      }),
    });
  }
}
