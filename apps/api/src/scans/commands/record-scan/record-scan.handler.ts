import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import { requestHash } from '../../../common/commands/request-hash';
import { idempotencyKey } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { lotCommandResult, LotCommandRunner } from '../../../lots/lot-command.runner';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { RecordScanCommand, RecordScanResult } from './record-scan.command';

@CommandHandler(RecordScanCommand)
export class RecordScanHandler implements ICommandHandler<RecordScanCommand> {
  constructor(
    @Inject(LotCommandRunner) private readonly lots: LotCommandRunner,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ request: r, context }: RecordScanCommand): Promise<StoredResponse<RecordScanResult>> {
    const facility = await this.facilities.get(r.facilityId, 'facilityId');
    const toFacility = r.toFacilityId ? await this.facilities.get(r.toFacilityId, 'toFacilityId') : null;
    const { response } = await this.lots.run<RecordScanResult>({
      traceCode: r.traceCode,
      context,
      metadata: { facilityId: r.facilityId, scanId: r.scanId, causationId: r.scanId },
      idempotency: { key: idempotencyKey(context, `scan:${r.scanId}`), requestHash: requestHash(r) },
      command: {
        type: 'RecordScan',
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
      },
      respond: (result, decided) => ({
        status: 201,
        body: {
          scanId: r.scanId,
          action: r.action,
          ...lotCommandResult(r.traceCode, result),
          violations: decided.flatMap((e) => (e.type === 'TraceViolationRecorded' ? [{ kind: e.data.kind, message: e.data.message }] : [])),
          flags: decided.flatMap((e) => (e.type === 'ComplianceFlagRaised' ? [{ flag: e.data.flag, message: e.data.message }] : [])),
        },
      }),
    });
    return response;
  }
}
