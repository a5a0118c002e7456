import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { CaptureJobDto } from '../../capture/capture-job';

export class GetCaptureJobQuery extends Query<CaptureJobDto> {
  constructor(
    readonly captureId: string,
    readonly viewer: Principal,
  ) {
    super();
  }
}
