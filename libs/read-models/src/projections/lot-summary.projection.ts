import { EntityManager } from 'typeorm';
import { eligibilityFacts, lotFacilityIds, lotStatus } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { lotRecord } from './lot-record';
import { LotStates } from './lot-states';
import { upsertRows } from './upsert-rows';
import { announceChanged } from '../read-model-changes';

const COLUMNS = {
  stream_id: 'text',
  trace_code: 'text',
  lot: 'jsonb',
  facts: 'jsonb',
  facility_ids: 'text[]',
  status: 'text',
  holder_facility_id: 'text',
  importer: 'text',
  origin_country: 'text',
  category: 'text',
  version: 'integer',
  position: 'bigint',
};

/**
 * One row per lot: what it is, how much remains, who holds it, its documents
 * (the lot record), what the sale rules read of it (its facts, judged again
 * at read time) and every facility that may see it.
 */
export class LotSummaryProjection implements Projection {
  readonly name = 'lot-summary';
  readonly tables = ['lot_summary'] as const;
  private readonly lots = new LotStates();

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const folded = await this.lots.fold(manager, 'lot_summary', events);
    await upsertRows(
      manager,
      'lot_summary',
      'stream_id',
      COLUMNS,
      folded.map(({ streamId, traceCode, state: s, version, position }) => {
        const facts = eligibilityFacts(s);
        return {
          stream_id: streamId,
          trace_code: traceCode,
          lot: lotRecord(s),
          facts,
          facility_ids: lotFacilityIds(s),
          status: lotStatus(facts),
          holder_facility_id: s.custody?.facilityId ?? null,
          importer: s.importer,
          origin_country: s.originCountry,
          category: s.product?.category ?? null,
          version,
          position,
        };
      }),
    );
    await announceChanged(manager, 'lot_summary', folded.map((l) => l.traceCode));
  }
}
