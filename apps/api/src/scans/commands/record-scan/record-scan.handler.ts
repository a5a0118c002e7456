import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requestHash } from '../../../common/commands/request-hash';
import { eventMetadata, idempotencyKey } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommands } from '../../../lots/lot-commands';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { RecordScanCommand } from './record-scan.command';

@CommandHandler(RecordScanCommand)
export class RecordScanHandler implements ICommandHandler<RecordScanCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ request: r, context }: RecordScanCommand) {
    const facility = await this.facilities.get(r.facilityId, 'facilityId');
    const toFacility = r.toFacilityId ? await this.facilities.get(r.toFacilityId, 'toFacilityId') : null;
    return this.lots.run({
      primary: r.traceCode,
      metadata: eventMetadata(context, { facilityId: r.facilityId, scanId: r.scanId, causationId: r.scanId }),
      idempotency: { key: idempotencyKey(context, `scan:${r.scanId}`), requestHash: requestHash(r) },
      command: () => ({
        type: 'RecordScan' as const,
        traceCode: r.traceCode,
        data: {
          scanId: r.scanId,
          action: r.action,
          facility,
          zoneId: r.zoneId ?? null,
          toFacility,
          occurredAt: r.occurredAt,
          vehicle: r.vehicle ? { plate: r.vehicle.plate, disinfectedAt: r.vehicle.disinfectedAt ?? null } : null,
          quantity: r.quantity ?? null,
          temperatureC: r.temperatureC ?? null,
          temperatureLimits: this.config.temperatureLimits,
          timePolicy: this.config.timePolicy,
        },
      }),
    });
  }
}
