import type { Principal } from '@app/domain';
import type { ListDeliveriesRequestDto } from './list-deliveries.request.dto';

export class ListDeliveriesQuery {
  constructor(
    readonly subscriptionId: string,
    readonly request: ListDeliveriesRequestDto,
    readonly principal: Principal,
  ) {}
}
