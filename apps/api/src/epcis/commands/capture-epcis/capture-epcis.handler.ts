import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { toErrorResponse } from '../../../common/http/api-exception.filter';
import { RecordScanBatchCommand, type SettledScan } from '../../../lots/commands/record-scan-batch/record-scan-batch.command';
import { RecordScanBatchRequestDto } from '../../../lots/commands/record-scan-batch/record-scan-batch.request.dto';
import type { CaptureJobDto, CaptureJobErrorDto } from '../../capture/capture-job';
import { CaptureJobRepository } from '../../capture/capture-job.repository';
import { captureLines } from '../../capture/epcis-capture.mapping';
import { CaptureEpcisCommand } from './capture-epcis.command';

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

/**
 * Events recorded per transaction. A batch's mapping, checks, decisions and
 * hashes run without a break for the event loop: 1000 scans held it
 * 150-300 ms on a loaded 2-core machine, a quarter of that about 100 ms at
 * most (the database round trips between batches give the loop its turns).
 */
const CAPTURE_BATCH_EVENTS = 250;

/**
 * Records a document's ObjectEvents as scans: translated by the pure
 * mapping (epcis-capture.mapping.ts), then sent through the scan batch
 * command, so each is checked against the key's facilities, validated as a
 * scan request, judged by the domain and made idempotent exactly as
 * POST /api/scans/batch does (CAPTURE_BATCH_EVENTS at a time, in document
 * order). The job (what became of each event) is stored and returned.
 */
@CommandHandler(CaptureEpcisCommand)
export class CaptureEpcisHandler implements ICommandHandler<CaptureEpcisCommand> {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(CaptureJobRepository) private readonly jobs: CaptureJobRepository,
  ) {}

  async execute({ document, context }: CaptureEpcisCommand): Promise<CaptureJobDto> {
    const createdAt = new Date().toISOString();
    const events = document.epcisBody.eventList;
    const reported: CaptureJobErrorDto[] = [];
    let position = 0;
    // Mapped a batch at a time too (it hashes each eventID): the work between two database round trips stays one batch's.
    for (let from = 0; from < events.length; from += CAPTURE_BATCH_EVENTS) {
      const lines = captureLines(events.slice(from, from + CAPTURE_BATCH_EVENTS));
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
      reported.push(...errors.filter((e): e is CaptureJobErrorDto => e !== null));
    }
    const job: CaptureJobDto = {
      captureID: randomUUID(),
      running: false,
      success: reported.length === 0,
      captureErrorBehaviour: 'proceed',
      createdAt,
      finishedAt: new Date().toISOString(),
      eventCount: events.length,
      position,
      errors: reported,
    };
    await this.jobs.save(job, context.principal.keyId);
    return job;
  }
}
