import type { Principal } from '@app/domain';

export class ListSubscriptionsQuery {
  constructor(readonly principal: Principal) {}
}
