import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FacilityRepository } from '../../facilities/facility.repository';
import { CriticalTrackingEvent, criticalTrackingEvents, CTE_SOURCE_TYPES, CteSourceEvent } from './critical-tracking-events';
import type { FacilityNames } from './cte-csv';

export interface LotsCtes {
  /** Each lot's CTEs in time order; a lot with none (or not projected yet) is absent. */
  readonly events: ReadonlyMap<string, readonly CriticalTrackingEvent[]>;
  /** Every facility the events (and `alsoFacilities`) name. */
  readonly facilities: FacilityNames;
}

/**
 * Reads the CTEs of a set of lots (a page of an export: the caller bounds it)
 * from the lot_history read model, in one query, and the facilities they name.
 */
@Injectable()
export class CriticalTrackingEventsReader {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(FacilityRepository) private readonly facilityRepository: FacilityRepository,
  ) {}

  async forLots(traceCodes: readonly string[], alsoFacilities: readonly (string | null)[] = []): Promise<LotsCtes> {
    const rows: CteSourceEvent[] = traceCodes.length
      ? await this.dataSource.query(
          `SELECT trace_code AS "traceCode", version, type, occurred_at AS "occurredAt", scan_id AS "scanId", data
             FROM lot_history WHERE trace_code = ANY($1) AND type = ANY($2) ORDER BY trace_code, version`,
          [traceCodes, CTE_SOURCE_TYPES],
        )
      : [];
    const byLot = new Map<string, CteSourceEvent[]>();
    for (const r of rows) {
      const history = byLot.get(r.traceCode);
      if (history) history.push(r);
      else byLot.set(r.traceCode, [r]);
    }
    const events = new Map([...byLot].map(([code, history]) => [code, criticalTrackingEvents(history)] as const).filter(([, ctes]) => ctes.length > 0));
    const ids = [...events.values()].flatMap((ctes) => ctes.flatMap((e) => [e.locationId, e.previousLocationId, e.nextLocationId]));
    const facilities = await this.facilityRepository.findMany([...ids, ...alsoFacilities].filter((id): id is string => id !== null));
    return { events, facilities };
  }
}
