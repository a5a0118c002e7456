import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { toErrorResponse } from '../../common/http/api-exception.filter';
import type { RequestContext } from '../../common/http/request-context';
import { RecordScanBatchCommand, type SettledScan } from '../../lots/commands/record-scan-batch/record-scan-batch.command';
import { RecordScanBatchRequestDto } from '../../lots/commands/record-scan-batch/record-scan-batch.request.dto';
import type { CaptureErrorBehaviour, CaptureJobErrorDto } from './capture-job';
import { captureLines } from './epcis-capture.mapping';

/** Why a scan of the batch recorded nothing, as the batch route would say it; null when it was recorded (now or before). */
const refusalOf = ({ settled }: SettledScan): Omit<CaptureJobErrorDto, 'eventID'> | null => {
  switch (settled.kind) {
    case 'executed':
      return null;
    case 'legacy': {
      // Recorded by code from before results were: its HTTP answer, as the scan routes replay it.
      if (settled.status < 300) return null;
      const body = settled.body as { code?: string; message?: string };
      return { code: body.code ?? 'REFUSED', message: body.message ?? '' };
    }
    case 'refused': {
      const { status, body } = toErrorResponse(settled.error);
      // Only the caller's mistakes are an event's refusal; anything else fails the capture (as it fails a batch).
      if (status >= 500) throw settled.error;
      return body;
    }
  }
};

/** What recording a slice of a document did: one entry per event that recorded nothing (in order), the highest position reached (0: none). */
export interface RecordedSlice {
  readonly errors: CaptureJobErrorDto[];
  readonly position: number;
}

/**
 * Records a slice of a document's ObjectEvents as scans: translated by the
 * pure mapping (epcis-capture.mapping.ts), then sent through the scan batch
 * command in one transaction, so each is checked against the key's
 * facilities, validated as a scan request, judged by the domain and made
 * idempotent exactly as POST /api/scans/batch does. The slicing, the job and
 * the capture error behaviour's document-wide check are capture-job.runner.ts's.
 */
@Injectable()
export class CaptureRecorder {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  // The behaviour is the runner's to apply across the document (rollback refuses before anything is recorded); kept in the signature for the recorder that judges it per slice.
  async record(events: readonly unknown[], context: RequestContext, _behaviour: CaptureErrorBehaviour): Promise<RecordedSlice> {
    let position = 0;
    const lines = captureLines(events);
    const errors: (CaptureJobErrorDto | null)[] = lines.map((l) => (l.refused ? { eventID: l.eventID, ...l.refused } : null));
    const scans = lines.flatMap((l, index) => (l.scan ? [{ index, scan: l.scan }] : []));
    if (scans.length > 0) {
      const request = Object.assign(new RecordScanBatchRequestDto(), { scans: scans.map((c) => ({ ...c.scan })) });
      const settled = await this.commandBus.execute(new RecordScanBatchCommand(request, context));
      settled.forEach((s, k) => {
        if (s.settled.kind === 'executed') position = Math.max(position, s.settled.result.position);
        const refusal = refusalOf(s);
        if (refusal) errors[scans[k].index] = { eventID: lines[scans[k].index].eventID, ...refusal };
      });
    }
    return { errors: errors.filter((e): e is CaptureJobErrorDto => e !== null), position };
  }
}
