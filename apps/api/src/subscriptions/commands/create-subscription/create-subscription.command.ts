import type { RequestContext } from '../../../common/http/request-context';
import type { CreateSubscriptionRequestDto } from './create-subscription.request.dto';

export class CreateSubscriptionCommand {
  constructor(
    readonly request: CreateSubscriptionRequestDto,
    readonly context: RequestContext,
  ) {}
}
