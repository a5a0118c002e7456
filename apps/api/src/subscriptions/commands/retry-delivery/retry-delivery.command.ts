import type { RequestContext } from '../../../common/http/request-context';

export class RetryDeliveryCommand {
  constructor(
    readonly subscriptionId: string,
    readonly deliveryId: string,
    readonly context: RequestContext,
  ) {}
}
