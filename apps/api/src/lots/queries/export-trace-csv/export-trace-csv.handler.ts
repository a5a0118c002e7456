import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { CsvExport, csvFileName, csvPages } from '../../../common/http/csv';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { CriticalTrackingEventsReader } from '../../critical-tracking-events/critical-tracking-events.reader';
import { TraceLotQuery } from '../trace-lot/trace-lot.query';
import type { TraceView } from '../trace-lot/trace-lot.query';
import { ExportTraceCsvQuery } from './export-trace-csv.query';
import { TRACE_CSV_HEADER, traceCsvRows } from './trace-csv.rows';

/** Lots per page: their histories are what one step holds in memory. */
const LOTS_PER_PAGE = 200;

/**
 * The trace as a spreadsheet, one row per CTE of its lots. The lots are the
 * trace's own (TraceLotQuery, page by page), so who sees which lot is decided
 * there and only there; the first page is read before anything is sent, so an
 * unknown or out-of-scope lot answers 404 JSON as the trace does.
 */
@QueryHandler(ExportTraceCsvQuery)
export class ExportTraceCsvHandler implements IQueryHandler<ExportTraceCsvQuery> {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CriticalTrackingEventsReader) private readonly ctes: CriticalTrackingEventsReader,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(q: ExportTraceCsvQuery): Promise<CsvExport> {
    await this.gate.reach('lot-history', q.atLeast);
    const page = (after: string | null): Promise<TraceView> =>
      this.queryBus.execute(new TraceLotQuery(q.traceCode, q.direction, q.atLeast, q.viewer, { limit: LOTS_PER_PAGE, after }));
    const rowsOf = async ({ lots }: TraceView) => {
      const codes = lots.map((l) => l.traceCode);
      const { events, facilities } = await this.ctes.forLots(codes);
      return traceCsvRows(
        codes.map((c) => events.get(c) ?? []),
        facilities,
        this.config.epcisTimeZoneOffset,
      );
    };
    return { fileName: csvFileName('trace', q.traceCode, q.direction), chunks: csvPages(TRACE_CSV_HEADER, await page(null), rowsOf, page) };
  }
}
