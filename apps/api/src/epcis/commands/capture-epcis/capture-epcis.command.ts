import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../common/http/request-context';
import type { CaptureErrorBehaviour, CaptureJobDto } from '../../capture/capture-job';
import type { EpcisDocument } from '../../capture/epcis-document.pipe';

/** A schema-valid EPCIS document to record as scans, by the key in the context, with GS1-Capture-Error-Behaviour. */
export class CaptureEpcisCommand extends Command<CaptureJobDto> {
  constructor(
    readonly document: EpcisDocument,
    readonly context: RequestContext,
    readonly behaviour: CaptureErrorBehaviour,
  ) {
    super();
  }
}
