import type { FacilityRef, LotFamilyCommand, LotFamilyOutcomes } from '@app/domain';
import { requestHash } from '../../../common/commands/request-hash';
import type { CommandResult } from '../../../common/commands/command-executor';
import { eventMetadata, idempotencyKey, type RequestContext } from '../../../common/http/request-context';
import type { AppConfig } from '../../../config/app-config';
import { lotCommandResult, type LotCommandResult } from '../../lot-command.result';
import type { LotCommandOf } from '../../lot-commands';
import type { RecordScanRequestDto } from './record-scan.request.dto';

type RecordScan = Extract<LotFamilyCommand, { type: 'RecordScan' }>;

/** Where a scan happened and where it sends the lot, as registered. */
export interface ScanFacilities {
  readonly facility: FacilityRef;
  readonly toFacility: FacilityRef | null;
}

/**
 * A scan request as the lot command it is, idempotent by its scan id: the
 * same for a scan sent alone and one sent in a batch, so either answers a
 * retry of the other.
 */
export const recordScan = (r: RecordScanRequestDto, context: RequestContext, at: ScanFacilities, config: AppConfig): LotCommandOf<RecordScan> => ({
  context: {
    metadata: eventMetadata(context, { facilityId: r.facilityId, scanId: r.scanId, causationId: r.scanId }),
    // The stated unit is a check on the quantity, not what is recorded: left out of the hash, so a
    // capture recorded before scans could state one still answers its retry.
    idempotency: { key: idempotencyKey(context, `scan:${r.scanId}`), requestHash: requestHash({ ...r, unit: undefined }) },
  },
  command: {
    type: 'RecordScan',
    traceCode: r.traceCode,
    by: context.principal,
    data: {
      scanId: r.scanId,
      action: r.action,
      facility: at.facility,
      zoneId: r.zoneId ?? null,
      toFacility: at.toFacility,
      occurredAt: r.occurredAt,
      vehicle: r.vehicle ? { plate: r.vehicle.plate, disinfectedAt: r.vehicle.disinfectedAt ?? null } : null,
      quantity: r.quantity ?? null,
      quantityUnit: r.unit ?? null,
      temperatureC: r.temperatureC ?? null,
      temperatureRules: config.temperatureRules,
      timePolicy: config.timePolicy,
    },
  },
});

export interface RecordScanResult extends LotCommandResult {
  scanId: string;
  action: string;
  /** Rule breaks this scan revealed; recorded in the lot's history and blocking it. */
  violations: LotFamilyOutcomes['RecordScan']['violations'];
  /** Compliance flags this scan raised (not blocking on their own). */
  flags: LotFamilyOutcomes['RecordScan']['flags'];
}

export const recordScanResult = (r: RecordScanRequestDto, result: CommandResult<LotFamilyOutcomes['RecordScan']>): RecordScanResult => ({
  scanId: r.scanId,
  action: r.action,
  ...lotCommandResult(r.traceCode, result),
  ...result.outcome,
});
