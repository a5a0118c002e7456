import { ArgumentMetadata, Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { notFound, type Principal } from '@app/domain';
import { requireOperatorFacility } from '../../../access/access.guard';
import { ApiError } from '../../../common/http/api-errors';
import { apiValidationPipe } from '../../../common/http/validation.pipe';
import type { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.tokens';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommands } from '../../lot-commands';
import { recordScan, type ScanFacilities } from '../record-scan/record-scan.mapping';
import { RecordScanRequestDto } from '../record-scan/record-scan.request.dto';
import { RecordScanBatchCommand, SettledScan } from './record-scan-batch.command';

const AS_SCAN: ArgumentMetadata = { type: 'body', metatype: RecordScanRequestDto };

type Checked = { readonly scanId: string | null } & ({ readonly request: RecordScanRequestDto } | { readonly request: null; readonly refused: ApiError });

/**
 * Checks each scan as POST /api/scans would, in the same order (the key's
 * facility, the request's shape, the facilities it names), then records
 * every scan that passed in one transaction: each judged by the domain on
 * its own, scans of one lot in array order, each idempotent by its scan id.
 */
@CommandHandler(RecordScanBatchCommand)
export class RecordScanBatchHandler implements ICommandHandler<RecordScanBatchCommand> {
  private readonly validation = apiValidationPipe();

  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ request, context }: RecordScanBatchCommand): Promise<SettledScan[]> {
    const checked: Checked[] = [];
    for (const raw of request.scans) {
      const c = this.check(raw, context.principal);
      checked.push(c instanceof Promise ? await c : c);
    }
    const named = checked.flatMap((c) => (c.request ? [c.request.facilityId, c.request.toFacilityId ?? c.request.facilityId] : []));
    const known = await this.facilities.findMany(named);
    const facilityOf = (id: string, field: string) => {
      const f = known.get(id);
      if (!f) throw notFound('FACILITY_NOT_FOUND', `no facility ${id} is registered`, { field, facilityId: id });
      return f;
    };
    const ready: { index: number; request: RecordScanRequestDto; at: ScanFacilities }[] = [];
    const out: (SettledScan | null)[] = checked.map((c, index) => {
      if (!c.request) return { scanId: c.scanId, request: null, settled: { kind: 'refused', error: c.refused } };
      try {
        const at = { facility: facilityOf(c.request.facilityId, 'facilityId'), toFacility: c.request.toFacilityId ? facilityOf(c.request.toFacilityId, 'toFacilityId') : null };
        ready.push({ index, request: c.request, at });
        return null;
      } catch (error) {
        return { scanId: c.scanId, request: null, settled: { kind: 'refused', error } };
      }
    });
    const settled = await this.lots.runAll(ready.map((r) => recordScan(r.request, context, r.at, this.config)));
    ready.forEach((r, k) => (out[r.index] = { scanId: r.request.scanId, request: r.request, settled: settled[k] }));
    return out as SettledScan[];
  }

  /**
   * The key's facility first (as the guard does for a lone scan), then the
   * shape (as the validation pipe does; the common valid scan without it).
   */
  private check(raw: Record<string, unknown>, principal: Principal): Checked | Promise<Checked> {
    const scanId = typeof raw.scanId === 'string' ? raw.scanId : null;
    try {
      if (typeof raw.facilityId === 'string') requireOperatorFacility(principal, raw.facilityId, 'facilityId');
      const prechecked = RecordScanRequestDto.precheck(raw);
      return prechecked ? { scanId, request: prechecked } : this.validated(scanId, raw);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { scanId, request: null, refused: error };
    }
  }

  private async validated(scanId: string | null, raw: Record<string, unknown>): Promise<Checked> {
    try {
      return { scanId, request: (await this.validation.transform(raw, AS_SCAN)) as RecordScanRequestDto };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { scanId, request: null, refused: error };
    }
  }
}
