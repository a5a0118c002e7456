import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { PageRequest } from '../../../common/queries/page';
import type { EpcisQueryDocument } from '../../epcis-query-document';
import type { EventKey } from '../../epcis-event.reader';
import type { EpcisEventFilters } from '../../epcis-filters';

export interface EpcisEventsPage {
  readonly document: EpcisQueryDocument;
  /** For the next page (`Link: <...>; rel="next"`); null on the last one. */
  readonly nextPageToken: string | null;
}

export class GetEpcisEventsQuery extends Query<EpcisEventsPage> {
  constructor(
    readonly filters: EpcisEventFilters,
    /** Who asks: an operator sees only the events of lots that came near its facilities. */
    readonly viewer: Principal,
    readonly page: PageRequest<EventKey>,
    /** `GS1-EPC-Format: Always_GS1_Digital_Link`: lots with a GTIN named by their Digital Link class. */
    readonly digitalLinks = false,
  ) {
    super();
  }
}
