import { Query } from '@nestjs/cqrs';
import { SCAN_EVENT_ACTION, type ActorRef, type ScanAction } from '@app/domain';
import type { Page, PageRequest } from '../../../common/queries/page';
import { scanWindowConditions, type ScanWindow } from '../scan-window.request.dto';

export interface ScanView {
  traceCode: string;
  scanId: string;
  action: ScanAction;
  facilityId: string | null;
  occurredAt: string;
  /** When the API recorded it: what `since` and `until` compare. */
  recordedAt: string;
  /** The key that sent it; null on events from before keys were named. */
  by: ActorRef | null;
  position: number;
}

const SCAN_EVENT_TYPES = Object.keys(SCAN_EVENT_ACTION);

/** The lot_history rows that are scans (the event a scan records; not the violations or flags it raised), in a window: the list's and the dashboard's. */
export const scanListConditions = (w: ScanWindow, p: (v: unknown) => string): string[] => [
  // The partial index lot_history_scans holds the rows with a scan id.
  `scan_id IS NOT NULL AND type = ANY(${p(SCAN_EVENT_TYPES)}::text[])`,
  ...scanWindowConditions(w, p, { at: 'recorded_at', traceCode: 'trace_code', facilityId: 'facility_id' }),
];

export class ListScansQuery extends Query<Page<ScanView>> {
  constructor(
    readonly window: ScanWindow,
    readonly atLeast: number | undefined,
    readonly page: PageRequest<number>,
  ) {
    super();
  }
}
