import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EligibilityFacts, lotStatus, notFound, RecallSource } from '@app/domain';
import { pageOf } from '../../../common/queries/page';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { toldOf } from '../recall-lots.sql';
import { GetRecallQuery, RecallTold, RecallView } from './get-recall.query';

interface Row {
  trace_code: string;
  holder_facility_id: string | null;
  recalled_at: Date;
  facts: EligibilityFacts | null;
}

interface ToldRow {
  trace_code: string;
  subscribers: number;
  delivered: number;
  first_delivered_at: Date | null;
  pending: number;
  failed: number;
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
    const told = await this.told(recallId, items);
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
        told: told.get(r.trace_code) ?? null,
      })),
      nextCursor,
    };
  }

  /** Whether each holder was told, for a page of lots in one query (toldOf). */
  private async told(recallId: string, lots: Row[]): Promise<Map<string, RecallTold>> {
    const held = lots.filter((l) => l.holder_facility_id !== null);
    if (held.length === 0) return new Map();
    const rows: ToldRow[] = await this.dataSource.query(
      toldOf(`SELECT $3::text AS recall_id, trace_code, holder FROM unnest($1::text[], $2::text[]) AS u (trace_code, holder)`),
      [held.map((l) => l.trace_code), held.map((l) => l.holder_facility_id), recallId],
    );
    return new Map(
      rows.map((r) => [
        r.trace_code,
        { subscribers: r.subscribers, delivered: r.delivered, firstDeliveredAt: r.first_delivered_at?.toISOString() ?? null, pending: r.pending, failed: r.failed },
      ]),
    );
  }
}
