import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CaptureJobDto } from '../../capture/capture-job';
import { CaptureJobRepository } from '../../capture/capture-job.repository';
import { CaptureRecorder } from '../../capture/capture-recorder';
import { CaptureEpcisCommand } from './capture-epcis.command';

/**
 * Records a document's events, each as the command its JSON route runs,
 * through CaptureRecorder (the key's role and facilities, validation, the
 * domain, idempotency by eventID). The job (what became of each event) is
 * stored and returned.
 */
@CommandHandler(CaptureEpcisCommand)
export class CaptureEpcisHandler implements ICommandHandler<CaptureEpcisCommand> {
  constructor(
    @Inject(CaptureRecorder) private readonly recorder: CaptureRecorder,
    @Inject(CaptureJobRepository) private readonly jobs: CaptureJobRepository,
  ) {}

  async execute({ document, context }: CaptureEpcisCommand): Promise<CaptureJobDto> {
    const createdAt = new Date().toISOString();
    const events = document.epcisBody.eventList;
    const { errors: reported, position } = await this.recorder.record(events, context, 'proceed');
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
