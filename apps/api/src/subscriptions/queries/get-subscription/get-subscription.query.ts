import type { Principal } from '@app/domain';

export class GetSubscriptionQuery {
  constructor(
    readonly id: string,
    readonly principal: Principal,
  ) {}
}
