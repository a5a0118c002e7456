import { Command } from '@nestjs/cqrs';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import { RegisterFacilityRequestDto } from './register-facility.request.dto';

export interface RegisterFacilityResult {
  id: string;
  version: number;
  position: number;
}

export class RegisterFacilityCommand extends Command<Executed<null>> {
  constructor(
    readonly request: RegisterFacilityRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
