import { EntityManager } from 'typeorm';
import { DocumentAttached, isLotStreamId, traceCodeOfStream } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';

/** The documents index (see the migration); run inline, so the command attaching a paper reads it consistently. */
export class LotDocumentsProjection implements Projection {
  readonly name = 'lot-documents';
  readonly tables = ['lot_documents'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const rows = events
      .filter((e) => e.type === 'DocumentAttached' && isLotStreamId(e.streamId))
      .map((e) => {
        const { document } = e.data as DocumentAttached['data'];
        return [document.type, document.issuer, document.number, traceCodeOfStream(e.streamId), e.globalPosition] as const;
      });
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO lot_documents (type, issuer, number, trace_code, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       ON CONFLICT DO NOTHING`,
      [0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i])),
    );
  }
}
