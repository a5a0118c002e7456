import { EntityManager } from 'typeorm';
import { LotDerived } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';

/**
 * Parent -> child links from every split and merge. The event store runs it
 * inline (same transaction as the events), so commands that must reach every
 * descendant (recall, lock) read a genealogy that is never behind.
 */
export class GenealogyProjection implements Projection {
  readonly name = 'genealogy';
  readonly tables = ['lot_links'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const links = events
      .filter((e) => e.type === 'LotDerived')
      .flatMap((e) => {
        const d = e.data as LotDerived['data'];
        return d.parents.map((p) => [p.traceCode, d.traceCode, d.kind, d.operationId, p.quantity, d.occurredAt, e.globalPosition] as const);
      });
    if (links.length === 0) return;
    await manager.query(
      `INSERT INTO lot_links (parent_trace_code, child_trace_code, kind, operation_id, quantity, occurred_at, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::timestamptz[], $7::bigint[])
       ON CONFLICT DO NOTHING`,
      [0, 1, 2, 3, 4, 5, 6].map((i) => links.map((l) => l[i])),
    );
  }
}
