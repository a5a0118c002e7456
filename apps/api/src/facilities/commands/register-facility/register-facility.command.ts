import { Command } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import type { RequestContext } from '../../../common/http/request-context';
import { RegisterFacilityRequestDto } from './register-facility.request.dto';

export interface RegisterFacilityResult {
  id: string;
  version: number;
  position: number;
}

export class RegisterFacilityCommand extends Command<StoredResponse<RegisterFacilityResult>> {
  constructor(
    readonly request: RegisterFacilityRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
