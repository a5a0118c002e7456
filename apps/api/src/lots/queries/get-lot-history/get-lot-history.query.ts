import { Query } from '@nestjs/cqrs';

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
  actor: string | null;
  data: unknown;
}

export interface LotHistoryView {
  traceCode: string;
  events: LotHistoryEntryView[];
}

export class GetLotHistoryQuery extends Query<LotHistoryView> {
  constructor(
    readonly traceCode: string,
    readonly atLeast: number | undefined,
  ) {
    super();
  }
}
