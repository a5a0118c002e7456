import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { EligibilityFacts, lotNotFound, lotStreamId, maySeeLot, Principal } from '@app/domain';
import { LotHistoryEntity, LotSummaryEntity } from '@app/read-models';
import type { PageRequest } from '../common/queries/page';
import type { HistoryKey, HistoryOrder } from './queries/get-lot-history/get-lot-history.request.dto';

/**
 * The query side: reads projections only, never the event store. A lot the
 * viewer may not see answers exactly as an unknown one (LOT_NOT_FOUND), so
 * no firm can tell another's trace codes exist.
 */
/** What the eligibility read needs of a lot. */
export interface EligibilityRow {
  readonly traceCode: string;
  readonly facts: EligibilityFacts;
  readonly facilityIds: readonly string[];
  readonly version: number;
  readonly position: number;
  /** Kafka mode: the projector parked this lot (its rows may miss events) until it heals it. */
  readonly stale: { readonly reason: string; readonly since: string } | null;
}

export type HistoryRow = Pick<
  LotHistoryEntity,
  'version' | 'position' | 'eventId' | 'type' | 'schemaVersion' | 'occurredAt' | 'recordedAt' | 'facilityId' | 'scanId' | 'data' | 'metadata' | 'hash'
> & { readonly occurredKey: string; readonly signingKeyId: string | null; readonly signature: string | null };

@Injectable()
export class LotReadRepository {
  private readonly pool: Pool;

  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
  ) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  async summary(traceCode: string, viewer: Principal): Promise<LotSummaryEntity> {
    const row = await this.dataSource.getRepository(LotSummaryEntity).findOneBy({ traceCode });
    return this.visibleTo(traceCode, row, viewer);
  }

  /** The retailer's hot path reads this one indexed row (SaleEligibilityAnswers keeps its answer in memory). */
  async loadEligibility(traceCode: string): Promise<EligibilityRow | null> {
    // Straight to the pool as a named prepared statement: parsed and planned once per connection.
    const { rows } = await this.pool.query({
      name: 'sale-eligibility-row',
      text: `SELECT s.trace_code, s.facts, s.facility_ids, s.version, s.position, p.reason AS stale_reason, p.since AS stale_since
               FROM sale_eligibility s LEFT JOIN projector_parked p ON p.stream_id = s.stream_id WHERE s.trace_code = $1`,
      values: [traceCode],
    });
    if (rows.length === 0) return null;
    const r = rows[0] as {
      trace_code: string;
      facts: EligibilityFacts;
      facility_ids: string[];
      version: number;
      position: string;
      stale_reason: string | null;
      stale_since: Date | null;
    };
    return {
      traceCode: r.trace_code,
      facts: r.facts,
      facilityIds: r.facility_ids,
      version: r.version,
      position: Number(r.position),
      stale: r.stale_reason === null ? null : { reason: r.stale_reason, since: r.stale_since!.toISOString() },
    };
  }

  /** The lot's events; for an operator, only once the summary shows the lot came near one of its facilities. */
  /** Whether the projector parked this lot (Kafka mode), and why. */
  async staleness(traceCode: string): Promise<{ reason: string; since: string } | null> {
    const rows: { reason: string; since: Date }[] = await this.dataSource.query(`SELECT reason, since FROM projector_parked WHERE stream_id = $1`, [
      lotStreamId(traceCode),
    ]);
    return rows.length ? { reason: rows[0].reason, since: rows[0].since.toISOString() } : null;
  }

  /**
   * One page of a lot's history, `limit + 1` rows from just after `after`:
   * as recorded (by version) or by when the events happened (then version;
   * `occurredKey` keeps the microseconds for the cursor).
   */
  async history(traceCode: string, viewer: Principal, order: HistoryOrder, page: PageRequest<HistoryKey>): Promise<HistoryRow[]> {
    if (viewer.role === 'OPERATOR') await this.summary(traceCode, viewer);
    const params: unknown[] = [traceCode, page.limit + 1];
    let after = '';
    if (page.after !== null) {
      params.push(page.after.version);
      if (order === 'occurred') params.push(page.after.occurred);
      after = order === 'occurred' ? 'AND (occurred_at, version) > ($4::timestamptz, $3)' : 'AND version > $3';
    }
    // Signatures from the store's own table, by position (its primary key): an event written before
    // signing is signed after its row was projected, and shows its signature here at once, no rebuild.
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT version, position, event_id AS "eventId", type, schema_version AS "schemaVersion", occurred_at AS "occurredAt",
              recorded_at AS "recordedAt", facility_id AS "facilityId", scan_id AS "scanId", data, metadata, hash,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredKey",
              g.signing_key_id AS "signingKeyId", encode(g.signature, 'hex') AS signature
         FROM lot_history LEFT JOIN event_signatures g ON g.global_position = lot_history.position
        WHERE trace_code = $1 ${after}
        ORDER BY ${order === 'occurred' ? 'occurred_at, version' : 'version'} LIMIT $2`,
      params,
    );
    // A page past the end of a known lot is empty; an unknown lot is not found.
    if (rows.length === 0 && (page.after === null || !(await this.hasHistory(traceCode)))) throw lotNotFound(traceCode);
    return rows;
  }

  private async hasHistory(traceCode: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM lot_history WHERE trace_code = $1 LIMIT 1`, [traceCode]);
    return rows.length > 0;
  }

  /** The row when `viewer` may see the lot; else, as when there is none, LOT_NOT_FOUND. */
  visibleTo<T extends { facilityIds: readonly string[] }>(traceCode: string, row: T | null, viewer: Principal): T {
    if (!row || !maySeeLot(viewer, row.facilityIds)) throw lotNotFound(traceCode);
    return row;
  }
}
