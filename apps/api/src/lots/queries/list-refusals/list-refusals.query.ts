import { Query } from '@nestjs/cqrs';
import type { Page, PageRequest } from '../../../common/queries/page';
import { scanWindowConditions, type ScanWindow } from '../scan-window.request.dto';

export interface RefusalView {
  id: number;
  /** When the API refused it. */
  at: string;
  /** The key that sent it. */
  keyId: string | null;
  keyName: string | null;
  scanId: string;
  traceCode: string;
  facilityId: string;
  action: string;
  /** The error code the scanner was answered (SALE_BLOCKED, TRADE_BLOCKED, …) and its message. */
  code: string;
  message: string;
}

/** The scan_refusals rows in a window: the list's and the dashboard's. */
export const refusalListConditions = (w: ScanWindow, p: (v: unknown) => string): string[] =>
  scanWindowConditions(w, p, { at: 'at', traceCode: 'trace_code', facilityId: 'facility_id' });

export class ListRefusalsQuery extends Query<Page<RefusalView>> {
  constructor(
    readonly window: ScanWindow,
    readonly page: PageRequest<number>,
  ) {
    super();
  }
}
