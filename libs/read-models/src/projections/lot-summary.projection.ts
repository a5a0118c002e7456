import { EntityManager } from 'typeorm';
import { lotStatus } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { lotRecord } from './lot-record';
import { LotStates, writeLotRows } from './lot-states';

/**
 * One row per lot: what it is, how much remains, who holds it, its documents
 * (the lot record), what the sale rules read of it (its facts, judged again
 * at read time) and every facility that may see it.
 */
export class LotSummaryProjection implements Projection {
  readonly name = 'lot-summary';
  readonly tables = ['lot_summary'] as const;

  constructor(private readonly lots: LotStates) {}

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const folded = await this.lots.fold(manager, events);
    await writeLotRows(manager, 'lot_summary', { lot: 'jsonb', facts: 'jsonb', status: 'text' }, folded, ({ state }, facts) => ({
      lot: lotRecord(state),
      facts,
      status: lotStatus(facts),
    }));
  }
}
