import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { CsvExport, csvFileName, csvPages } from '../../../common/http/csv';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { CriticalTrackingEventsReader } from '../../../lots/critical-tracking-events/critical-tracking-events.reader';
import { GetRecallQuery, RecallView } from '../get-recall/get-recall.query';
import { ExportRecallCsvQuery } from './export-recall-csv.query';
import { RECALL_CSV_HEADER, recallCsvRows } from './recall-csv.rows';

/** Lots per page: their histories are what one step holds in memory. */
const LOTS_PER_PAGE = 200;

/**
 * A recall as a spreadsheet (the FSMA 204 "sortable spreadsheet"), one row per
 * CTE of every lot it reached. The lots and where each was when recalled come
 * from the recall's own query, page by page; its first page is read before
 * anything is sent, so an unknown recall answers 404 JSON as GET /recalls/:id does.
 */
@QueryHandler(ExportRecallCsvQuery)
export class ExportRecallCsvHandler implements IQueryHandler<ExportRecallCsvQuery> {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CriticalTrackingEventsReader) private readonly ctes: CriticalTrackingEventsReader,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(q: ExportRecallCsvQuery): Promise<CsvExport> {
    await this.gate.reach('lot-history', q.atLeast);
    const page = (after: string | null): Promise<RecallView> =>
      this.queryBus.execute(new GetRecallQuery(q.recallId, q.atLeast, { limit: LOTS_PER_PAGE, after }));
    const rowsOf = async ({ lots }: RecallView) => {
      const { events, facilities } = await this.ctes.forLots(
        lots.map((l) => l.traceCode),
        lots.map((l) => l.holderWhenRecalled),
      );
      return recallCsvRows(
        q.recallId,
        lots.map((lot) => ({ lot, ctes: events.get(lot.traceCode) ?? [] })),
        facilities,
        this.config.epcisTimeZoneOffset,
      );
    };
    return { fileName: csvFileName('recall', q.recallId), chunks: csvPages(RECALL_CSV_HEADER, await page(null), rowsOf, page) };
  }
}
