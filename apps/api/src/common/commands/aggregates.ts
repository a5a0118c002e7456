import {
  apiKeyDecider,
  ApiKeyEvent,
  ApiKeyState,
  apiKeyStreamId,
  DomainEvent,
  facilityDecider,
  FacilityEvent,
  FacilityState,
  facilityStreamId,
  LotEvent,
  LotState,
  lotDecider,
  lotStreamId,
  sightingDecider,
  SightingEvent,
  SightingState,
  sightingStreamId,
  toApiKeyEvent,
  toFacilityEvent,
  toLotEvent,
  toSightingEvent,
} from '@app/domain';
import { StoredEvent } from '@app/event-store';

/** How one kind of aggregate is stored: its streams, and how its state folds from them. */
export interface Aggregate<S, E extends DomainEvent> {
  readonly streamType: string;
  readonly streamId: (key: string) => string;
  readonly initialState: () => S;
  readonly evolve: (state: S, event: E) => S;
  readonly toEvent: (stored: StoredEvent) => E;
}

export const LOT: Aggregate<LotState, LotEvent> = {
  streamType: 'lot',
  streamId: lotStreamId,
  initialState: lotDecider.initialState,
  evolve: lotDecider.evolve,
  toEvent: (e) => toLotEvent(e.type, e.schemaVersion, e.data),
};

export const FACILITY: Aggregate<FacilityState, FacilityEvent> = {
  streamType: 'facility',
  streamId: facilityStreamId,
  initialState: facilityDecider.initialState,
  evolve: facilityDecider.evolve,
  toEvent: (e) => toFacilityEvent(e.type, e.schemaVersion, e.data),
};

export const API_KEY: Aggregate<ApiKeyState, ApiKeyEvent> = {
  streamType: 'apikey',
  streamId: apiKeyStreamId,
  initialState: apiKeyDecider.initialState,
  evolve: apiKeyDecider.evolve,
  toEvent: (e) => toApiKeyEvent(e.type, e.schemaVersion, e.data),
};

export const SIGHTING: Aggregate<SightingState, SightingEvent> = {
  streamType: 'sighting',
  streamId: sightingStreamId,
  initialState: sightingDecider.initialState,
  evolve: sightingDecider.evolve,
  toEvent: (e) => toSightingEvent(e.type, e.schemaVersion, e.data),
};
