import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EligibilityFacts, lotStatus, notFound, RecallSource } from '@app/domain';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { GetRecallQuery, RecallView } from './get-recall.query';

interface Row {
  recall_id: string;
  trace_code: string;
  origin_trace_code: string;
  reason: string;
  source: RecallSource;
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

  async execute({ recallId, atLeast }: GetRecallQuery): Promise<RecallView> {
    await this.gate.reach('recalls', atLeast);
    await this.gate.reach('lot-summary', atLeast);
    const rows: Row[] = await this.dataSource.query(
      `SELECT r.*, s.facts FROM recall_lots r LEFT JOIN lot_summary s ON s.trace_code = r.trace_code
        WHERE r.recall_id = $1 ORDER BY r.trace_code`,
      [recallId],
    );
    if (rows.length === 0) throw notFound('RECALL_NOT_FOUND', `no recall ${recallId} is known`, { recallId });
    const first = rows.find((r) => r.trace_code === r.origin_trace_code) ?? rows[0];
    return {
      recallId,
      origin: first.origin_trace_code,
      reason: first.reason,
      source: first.source,
      recalledAt: rows.map((r) => r.recalled_at.toISOString()).sort()[0],
      lots: rows.map((r) => ({
        traceCode: r.trace_code,
        recalledAt: r.recalled_at.toISOString(),
        holderWhenRecalled: r.holder_facility_id,
        holder: r.facts?.holder ?? null,
        inTransit: r.facts?.inTransit ?? null,
        remaining: r.facts?.quantity?.remaining ?? null,
        status: r.facts ? lotStatus(r.facts) : null,
      })),
    };
  }
}
