import type { RequestContext } from '../../../common/http/request-context';
import type { EpcisEventFilters } from '../../epcis-filters';
import type { SubscribeToQueryRequestDto } from './subscribe-to-query.request.dto';

export class SubscribeToQueryCommand {
  constructor(
    readonly request: SubscribeToQueryRequestDto,
    readonly filters: EpcisEventFilters,
    readonly context: RequestContext,
  ) {}
}
