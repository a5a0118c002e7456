import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { sightingDecider } from '@app/domain';
import { SIGHTING } from '../../../common/commands/aggregates';
import { CommandExecutor } from '../../../common/commands/command-executor';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { ReportSightingCommand, ReportSightingResult } from './report-sighting.command';

/**
 * Records a sighting in a stream of its own: the lot's stream is not read or
 * touched, so a report changes nothing on the lot and tells the reporter
 * nothing about it (the same answer for a lot we know and one we do not).
 */
@CommandHandler(ReportSightingCommand)
export class ReportSightingHandler implements ICommandHandler<ReportSightingCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ request: r, context }: ReportSightingCommand) {
    const facility = await this.facilities.get(r.facilityId, 'facilityId');
    const id = randomUUID();
    return this.executor.execute({
      type: 'ReportSighting',
      aggregate: SIGHTING,
      primary: id,
      metadata: eventMetadata(context, { facilityId: facility.id, ...(r.reportId ? { causationId: r.reportId } : {}) }),
      idempotency: r.reportId ? { key: idempotencyKey(context, `sighting:${r.reportId}`), requestHash: requestHash(r) } : undefined,
      decide: async (load, _tx, now) => {
        const state = (await load([id])).get(id)!;
        const events = sightingDecider.decide(
          { type: 'ReportSighting', data: { sightingId: id, traceCode: r.traceCode, facility, occurredAt: r.occurredAt, note: r.note } },
          state,
          now,
        );
        const d = events[0].data;
        const outcome: Omit<ReportSightingResult, 'position'> = { id, traceCode: d.traceCode, facilityId: d.facilityId, occurredAt: d.occurredAt, reportedAt: d.reportedAt };
        return { streams: [{ key: id, events }], outcome: outcome as ReportSightingResult };
      },
    });
  }
}
