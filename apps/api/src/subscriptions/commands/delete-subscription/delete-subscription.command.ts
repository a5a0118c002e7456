import type { RequestContext } from '../../../common/http/request-context';

export class DeleteSubscriptionCommand {
  constructor(
    readonly id: string,
    readonly context: RequestContext,
  ) {}
}
