import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QuantityUnit, RecallSource } from '@app/domain';
import { pageOf } from '../../../common/queries/page';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { SqlParams, whereOf } from '../../../common/queries/sql-conditions';
import { toldOf, UNSOLD } from '../recall-lots.sql';
import { ListRecallsQuery, RecallSummaryView, UnsoldQuantity } from './list-recalls.query';

interface RecallRow {
  recall_id: string;
  recalled_at: Date;
  lots: number;
  unsold_lots: number;
  holders: number;
}

/**
 * Every recall newest first, each summed over the lots it reached: how many
 * still hold goods not sold and how much, how many holders were told. A
 * recall reaches its lots in one command, so grouping recall_lots per list
 * is a read of a small table.
 */
@QueryHandler(ListRecallsQuery)
export class ListRecallsHandler implements IQueryHandler<ListRecallsQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ inProgress, atLeast, page }: ListRecallsQuery) {
    await this.gate.reach('recalls', atLeast);
    await this.gate.reach('lot-summary', atLeast);
    const sql = new SqlParams();
    const where: string[] = [];
    if (inProgress !== undefined) where.push(inProgress ? 'unsold_lots > 0' : 'unsold_lots = 0');
    if (page.after !== null) where.push(`(recalled_at, recall_id) < (${sql.p(page.after[0])}::timestamptz, ${sql.p(page.after[1])})`);
    const rows: RecallRow[] = await this.dataSource.query(
      `WITH recalls AS (
         SELECT r.recall_id, min(r.recalled_at) AS recalled_at, count(*)::int AS lots,
                count(*) FILTER (WHERE ${UNSOLD})::int AS unsold_lots,
                count(*) FILTER (WHERE r.holder_facility_id IS NOT NULL)::int AS holders
           FROM recall_lots r LEFT JOIN lot_summary s ON s.trace_code = r.trace_code
          GROUP BY r.recall_id)
       SELECT * FROM recalls ${whereOf(where)} ORDER BY recalled_at DESC, recall_id DESC LIMIT ${sql.p(page.limit + 1)}`,
      sql.values,
    );
    const { items, nextCursor } = pageOf(rows, page, (r): [string, string] => [r.recalled_at.toISOString(), r.recall_id]);
    const ids = items.map((r) => r.recall_id);
    const [heads, unsold, told] = ids.length === 0 ? [[], [], []] : await Promise.all([this.heads(ids), this.unsold(ids), this.told(ids)]);
    const head = new Map(heads.map((h) => [h.recall_id, h]));
    return {
      items: items.map((r): RecallSummaryView => {
        const h = head.get(r.recall_id)!;
        return {
          recallId: r.recall_id,
          origin: h.origin,
          reason: h.reason,
          source: h.source,
          recalledAt: r.recalled_at.toISOString(),
          lotCount: r.lots,
          unsoldLots: r.unsold_lots,
          unsold: unsold.filter((u) => u.recall_id === r.recall_id).map((u): UnsoldQuantity => ({ unit: u.unit, quantity: Number(u.quantity) })),
          inProgress: r.unsold_lots > 0,
          holders: r.holders,
          told: told.find((t) => t.recall_id === r.recall_id)?.told ?? 0,
        };
      }),
      nextCursor,
    };
  }

  /** Where each recall started, why, and on whose word (as GET /api/recalls/:id tells it). */
  private heads(ids: string[]): Promise<{ recall_id: string; origin: string; reason: string; source: RecallSource }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (recall_id) recall_id, origin_trace_code AS origin, reason, source FROM recall_lots
        WHERE recall_id = ANY($1::text[]) ORDER BY recall_id, (trace_code = origin_trace_code) DESC, trace_code`,
      [ids],
    );
  }

  private unsold(ids: string[]): Promise<{ recall_id: string; unit: QuantityUnit; quantity: string }[]> {
    return this.dataSource.query(
      `SELECT r.recall_id, s.facts#>>'{quantity,unit}' AS unit, sum((s.facts#>>'{quantity,remaining}')::numeric)::text AS quantity
         FROM recall_lots r JOIN lot_summary s ON s.trace_code = r.trace_code
        WHERE r.recall_id = ANY($1::text[]) AND ${UNSOLD}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [ids],
    );
  }

  private told(ids: string[]): Promise<{ recall_id: string; told: number }[]> {
    return this.dataSource.query(
      `SELECT recall_id, count(*) FILTER (WHERE delivered > 0)::int AS told
         FROM (${toldOf(`SELECT recall_id, trace_code, holder_facility_id AS holder FROM recall_lots WHERE recall_id = ANY($1::text[]) AND holder_facility_id IS NOT NULL`)}) t
        GROUP BY recall_id`,
      [ids],
    );
  }
}
