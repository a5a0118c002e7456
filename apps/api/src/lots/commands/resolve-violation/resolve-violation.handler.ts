import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommands } from '../../lot-commands';
import { ResolveViolationCommand } from './resolve-violation.command';

/**
 * A regulator's review of a violation, on the record: the lot, and every
 * descendant that inherited the violation, get their own ViolationResolved;
 * a correction of custody is recorded on the lot itself.
 */
@CommandHandler(ResolveViolationCommand)
export class ResolveViolationHandler implements ICommandHandler<ResolveViolationCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ traceCode, violationId, request, context }: ResolveViolationCommand) {
    const c = request.correction;
    const correction = c
      ? { correctionId: randomUUID(), facility: await this.facilities.get(c.facilityId, 'correction.facilityId'), zoneId: c.zoneId ?? null, occurredAt: c.occurredAt ?? null }
      : null;
    return this.lots.run(
      { type: 'ResolveViolation', traceCode, data: { violationId, reason: request.reason, correction } },
      { metadata: eventMetadata(context, { causationId: violationId }) },
    );
  }
}
