import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { PageRequest } from '../../../common/queries/page';
import type { HistoryKey, HistoryOrder } from './get-lot-history.request.dto';

export interface LotHistoryEntryView {
  version: number;
  position: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  facilityId: string | null;
  scanId: string | null;
  /** The key that wrote the event; events from before credentials existed name only what `x-actor` said. */
  actor: { keyId: string | null; name: string; role: string | null } | null;
  data: unknown;
  /** The event's chain hash (SHA-256, hex): GET /api/audit/lots/:traceCode/verify re-computes it. */
  hash: string | null;
  /** The key that signed the hash (GET /api/audit/keys); null while an event from before signing awaits its signature. */
  signingKeyId: string | null;
  /** Ed25519 over the 32 bytes of `hash`, hex. */
  signature: string | null;
}

export interface LotHistoryView {
  traceCode: string;
  order: HistoryOrder;
  events: LotHistoryEntryView[];
  /** Pass as `cursor` for the next page (same `order`); null on the last one. */
  nextCursor: string | null;
}

export class GetLotHistoryQuery extends Query<LotHistoryView> {
  constructor(
    readonly traceCode: string,
    readonly atLeast: number | undefined,
    /** Who asks: an operator sees only lots that came near its facilities. */
    readonly viewer: Principal,
    readonly order: HistoryOrder,
    readonly page: PageRequest<HistoryKey>,
  ) {
    super();
  }
}
