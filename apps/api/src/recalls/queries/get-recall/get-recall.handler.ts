import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EligibilityFacts, lotStatus, notFound, RecallSource } from '@app/domain';
import { pageOf } from '../../../common/queries/page';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { GetRecallQuery, RecallView } from './get-recall.query';

interface Row {
  trace_code: string;
  holder_facility_id: string | null;
  recalled_at: Date;
  facts: EligibilityFacts | null;
}

/** A recall, every lot it reached, and where each one is now. */
@QueryHandler(GetRecallQuery)
export class GetRecallHandler implements IQueryHandler<GetRecallQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ recallId, atLeast, page }: GetRecallQuery): Promise<RecallView> {
    await this.gate.reach('recalls', atLeast);
    await this.gate.reach('lot-summary', atLeast);
    // The recall as a whole: where it started, why, when, how many lots it reached.
    const [head]: { origin: string; reason: string; source: RecallSource; recalled_at: Date; lots: string }[] = await this.dataSource.query(
      `SELECT o.origin_trace_code AS origin, o.reason, o.source, a.recalled_at, a.lots
         FROM (SELECT min(recalled_at) AS recalled_at, count(*) AS lots FROM recall_lots WHERE recall_id = $1) a,
         LATERAL (SELECT origin_trace_code, reason, source FROM recall_lots WHERE recall_id = $1
                   ORDER BY (trace_code = origin_trace_code) DESC, trace_code LIMIT 1) o`,
      [recallId],
    );
    if (!head) throw notFound('RECALL_NOT_FOUND', `no recall ${recallId} is known`, { recallId });
    const rows: Row[] = await this.dataSource.query(
      `SELECT r.trace_code, r.holder_facility_id, r.recalled_at, s.facts FROM recall_lots r LEFT JOIN lot_summary s ON s.trace_code = r.trace_code
        WHERE r.recall_id = $1 ${page.after === null ? '' : 'AND r.trace_code > $3'} ORDER BY r.trace_code LIMIT $2`,
      [recallId, page.limit + 1, ...(page.after === null ? [] : [page.after])],
    );
    const { items, nextCursor } = pageOf(rows, page, (r) => r.trace_code);
    return {
      recallId,
      origin: head.origin,
      reason: head.reason,
      source: head.source,
      recalledAt: head.recalled_at.toISOString(),
      lotCount: Number(head.lots),
      lots: items.map((r) => ({
        traceCode: r.trace_code,
        recalledAt: r.recalled_at.toISOString(),
        holderWhenRecalled: r.holder_facility_id,
        holder: r.facts?.holder ?? null,
        inTransit: r.facts?.inTransit ?? null,
        remaining: r.facts?.quantity?.remaining ?? null,
        status: r.facts ? lotStatus(r.facts) : null,
      })),
      nextCursor,
    };
  }
}
