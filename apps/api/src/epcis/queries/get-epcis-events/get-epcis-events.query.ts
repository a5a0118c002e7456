import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { PageRequest } from '../../../common/queries/page';
import type { EpcisQueryDocument } from '../../epcis-query-document';
import type { EventKey } from '../../epcis-event.reader';

/** The filters, checked and in the shapes the handler compares (empty list = no filter). */
export interface EpcisEventFilters {
  readonly traceCodes: readonly string[];
  readonly eventTypes: readonly string[];
  readonly from: string | null;
  readonly before: string | null;
  readonly bizSteps: readonly string[];
  readonly bizLocations: readonly string[];
  readonly withinLocations: readonly { readonly facilityId: string; readonly zoneId: string | null }[];
}

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
  ) {
    super();
  }
}
