import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CaptureJobDto } from '../../capture/capture-job';
import { CaptureJobRunner } from '../../capture/capture-job.runner';
import { CaptureEpcisCommand } from './capture-epcis.command';

/**
 * Records a document's events as the commands they map to (capture-recorder.ts), as a
 * job: inside the request for a document of up to EPCIS_CAPTURE_INLINE_EVENTS
 * events (the job returned is finished), in the background for a larger one
 * (returned running; capture-job.runner.ts).
 */
@CommandHandler(CaptureEpcisCommand)
export class CaptureEpcisHandler implements ICommandHandler<CaptureEpcisCommand> {
  constructor(@Inject(CaptureJobRunner) private readonly runner: CaptureJobRunner) {}

  execute({ document, context, behaviour }: CaptureEpcisCommand): Promise<CaptureJobDto> {
    const events = document.epcisBody.eventList;
    return events.length > this.runner.inlineEvents ? this.runner.startInBackground(events, context, behaviour) : this.runner.captureInline(events, context, behaviour);
  }
}
