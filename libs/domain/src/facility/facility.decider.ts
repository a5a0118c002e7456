import { conflict, invalid } from '../shared/domain-error';
import { Decider, DomainEvent } from '../shared/decider';
import { FacilityRef, FacilityType, Zone } from './facility.types';

export const facilityStreamId = (facilityId: string) => `facility-${facilityId}`;

export type FacilityRegistered = DomainEvent<
  'FacilityRegistered',
  { id: string; name: string; type: FacilityType; zones: Zone[]; registeredAt: string }
>;
export type FacilityEvent = FacilityRegistered;

export interface RegisterFacility {
  readonly type: 'RegisterFacility';
  readonly data: { id: string; name: string; type: FacilityType; zones: Zone[] };
}
export type FacilityCommand = RegisterFacility;

export interface FacilityState {
  readonly facility: (FacilityRef & { name: string; registeredAt: string }) | null;
}

export const facilityDecider: Decider<FacilityCommand, FacilityEvent, FacilityState> = {
  initialState: () => ({ facility: null }),

  evolve: (_state, event) => {
    switch (event.type) {
      case 'FacilityRegistered':
        return { facility: { ...event.data, zones: [...event.data.zones] } };
    }
  },

  decide: (command, state, now) => {
    switch (command.type) {
      case 'RegisterFacility': {
        if (state.facility) {
          throw conflict('FACILITY_EXISTS', `facility ${command.data.id} is already registered`, {
            facilityId: command.data.id,
          });
        }
        const seen = new Set<string>();
        for (const zone of command.data.zones) {
          if (seen.has(zone.id)) {
            throw invalid('VALIDATION_FAILED', `zone id ${zone.id} appears twice in facility ${command.data.id}`, {
              field: 'zones',
            });
          }
          seen.add(zone.id);
        }
        return [
          {
            type: 'FacilityRegistered',
            schemaVersion: 1,
            data: { ...command.data, zones: command.data.zones.map((z) => ({ id: z.id, kind: z.kind })), registeredAt: now.toISOString() },
          },
        ];
      }
    }
  },
};

export const toFacilityEvent = (type: string, schemaVersion: number, data: unknown): FacilityEvent => {
  if (type !== 'FacilityRegistered' || schemaVersion !== 1 || typeof data !== 'object' || data === null) {
    throw invalid('UNKNOWN_EVENT', `cannot read facility event ${type} v${schemaVersion}`);
  }
  return { type, schemaVersion, data } as FacilityRegistered;
};
