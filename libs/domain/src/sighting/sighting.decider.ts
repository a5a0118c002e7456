import { Decider, DomainEvent } from '../shared/decider';
import { conflict, invalid } from '../shared/domain-error';
import { FacilityRef, FacilityType } from '../facility/facility.types';
import { iso, notInFuture } from '../lot/time';

export const sightingStreamId = (sightingId: string) => `sighting-${sightingId}`;

/** A note is a few sentences from the dock: what was found, on what pallet, with what papers. */
export const MAX_SIGHTING_NOTE = 2000;

/**
 * A lot turned up where it was not sent (a mis-delivery, a diversion, a
 * pack whose code is not ours): reported by the facility that found it, for
 * regulators to review. It changes nothing on the lot: not its custody, not
 * who may see or scan it, not whether it may be sold. `traceCode` is what
 * the reporter read off the pack, known to us or not.
 */
export type LotSighted = DomainEvent<
  'LotSighted',
  { sightingId: string; traceCode: string; facilityId: string; facilityType: FacilityType; occurredAt: string; note: string; reportedAt: string }
>;
export type SightingEvent = LotSighted;

export interface ReportSighting {
  readonly type: 'ReportSighting';
  readonly data: { sightingId: string; traceCode: string; facility: FacilityRef; occurredAt: string; note: string };
}
export type SightingCommand = ReportSighting;

export interface SightingState {
  readonly sighting: LotSighted['data'] | null;
}

export const sightingDecider: Decider<SightingCommand, SightingEvent, SightingState> = {
  initialState: () => ({ sighting: null }),

  evolve: (_state, event) => ({ sighting: { ...event.data } }),

  decide: (command, state, now) => {
    const d = command.data;
    if (state.sighting) throw conflict('SIGHTING_EXISTS', `sighting ${d.sightingId} is already on record`, { sightingId: d.sightingId });
    const occurredAt = iso(d.occurredAt, 'occurredAt');
    notInFuture(occurredAt, 'occurredAt', now);
    const note = d.note.trim();
    if (note.length === 0 || note.length > MAX_SIGHTING_NOTE) {
      throw invalid('VALIDATION_FAILED', `note must be 1-${MAX_SIGHTING_NOTE} characters besides surrounding spaces`, { field: 'note' });
    }
    return [
      {
        type: 'LotSighted',
        schemaVersion: 1,
        data: { sightingId: d.sightingId, traceCode: d.traceCode, facilityId: d.facility.id, facilityType: d.facility.type, occurredAt, note, reportedAt: now.toISOString() },
      },
    ];
  },
};

export const toSightingEvent = (type: string, schemaVersion: number, data: unknown): SightingEvent => {
  if (type !== 'LotSighted' || schemaVersion !== 1 || typeof data !== 'object' || data === null) {
    throw invalid('UNKNOWN_EVENT', `cannot read sighting event ${type} v${schemaVersion}`);
  }
  return { type, schemaVersion, data } as SightingEvent;
};
