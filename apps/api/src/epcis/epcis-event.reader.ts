import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { lotStreamId, QuantityUnit, traceCodeOfStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';

/** Where an export page ends: the subscriptions' order, (transaction id, global position). */
export interface EventKey {
  /** xid8 as a decimal string. */
  readonly x: string;
  readonly p: number;
}

export interface LotEventRow {
  readonly key: EventKey;
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

export interface LotEventScan {
  readonly after: EventKey | null;
  /** Only these streams; null = every lot stream. */
  readonly streamIds: readonly string[] | null;
  readonly types: readonly string[];
  readonly from: string | null;
  readonly before: string | null;
  readonly limit: number;
}

/**
 * Reads lot events for the EPCIS export straight from the event store (read
 * only), in the order the subscriptions read them and only below the append
 * horizon: positions are taken at insert, not at commit, so keyset paging by
 * position alone could skip an event committed late behind a page already
 * read; by (transaction id, position) under the horizon nothing is skipped.
 */
@Injectable()
export class EpcisEventReader {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
  ) {}

  async scan(q: LotEventScan, lotStreamPrefix: string): Promise<LotEventRow[]> {
    const horizon = await this.store.appendHorizon();
    const rows: {
      global_position: string;
      transaction_id: string;
      event_id: string;
      stream_id: string;
      type: string;
      schema_version: number;
      data: unknown;
      occurred_at: Date;
      recorded_at: Date;
    }[] = await this.dataSource.query(
      // ORDER BY names the table's columns (the text alias would sort '1000000' before '999999').
      `SELECT global_position, transaction_id::text AS transaction_id, event_id, stream_id, type, schema_version, data, occurred_at, recorded_at
         FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < $3::xid8
          AND starts_with(stream_id, $4)
          AND ($5::text[] IS NULL OR stream_id = ANY($5::text[]))
          AND type = ANY($6::text[])
          AND ($7::timestamptz IS NULL OR occurred_at >= $7::timestamptz)
          AND ($8::timestamptz IS NULL OR occurred_at < $8::timestamptz)
        ORDER BY events.transaction_id, events.global_position
        LIMIT $9`,
      [q.after?.x ?? '0', q.after?.p ?? 0, horizon, lotStreamPrefix, q.streamIds, q.types, q.from, q.before, q.limit],
    );
    return rows.map((r) => ({
      key: { x: r.transaction_id, p: Number(r.global_position) },
      eventId: r.event_id,
      streamId: r.stream_id,
      type: r.type,
      schemaVersion: r.schema_version,
      data: r.data,
      occurredAt: r.occurred_at.toISOString(),
      recordedAt: r.recorded_at.toISOString(),
    }));
  }

  /** Each lot's unit, from its first event (a registration or a derivation carries the quantity). */
  async unitsOf(streamIds: readonly string[]): Promise<Map<string, QuantityUnit>> {
    const rows: { stream_id: string; unit: QuantityUnit }[] = await this.dataSource.query(
      `SELECT stream_id, data->'quantity'->>'unit' AS unit FROM events WHERE stream_id = ANY($1::text[]) AND stream_version = 1`,
      [streamIds],
    );
    return new Map(rows.map((r) => [r.stream_id, r.unit]));
  }

  /** The GTIN of each lot that has one, from its first event (registration or derivation), by trace code. */
  async gtinsOf(traceCodes: readonly string[]): Promise<Map<string, string>> {
    const rows: { stream_id: string; gtin: string }[] = await this.dataSource.query(
      `SELECT stream_id, data->'product'->>'gtin' AS gtin FROM events WHERE stream_id = ANY($1::text[]) AND stream_version = 1 AND data->'product'->>'gtin' IS NOT NULL`,
      [traceCodes.map(lotStreamId)],
    );
    return new Map(rows.map((r) => [traceCodeOfStream(r.stream_id), r.gtin]));
  }

  /** Every facility each lot is at, was at or is heading to (`lot_summary`): who may see it. Unprojected lots are absent. */
  async facilityIdsOf(traceCodes: readonly string[]): Promise<Map<string, string[]>> {
    const rows: { trace_code: string; facility_ids: string[] }[] = await this.dataSource.query(
      `SELECT trace_code, facility_ids FROM lot_summary WHERE trace_code = ANY($1::text[])`,
      [traceCodes],
    );
    return new Map(rows.map((r) => [r.trace_code, r.facility_ids]));
  }

  /** The lots one split or merge away (parents and children): their events may name these lots too. */
  async neighbours(traceCodes: readonly string[]): Promise<string[]> {
    const rows: { parent_trace_code: string; child_trace_code: string }[] = await this.dataSource.query(
      `SELECT parent_trace_code, child_trace_code FROM lot_links WHERE parent_trace_code = ANY($1::text[]) OR child_trace_code = ANY($1::text[])`,
      [traceCodes],
    );
    return [...new Set(rows.flatMap((r) => [r.parent_trace_code, r.child_trace_code]))];
  }
}
