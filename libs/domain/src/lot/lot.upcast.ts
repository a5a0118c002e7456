import { invalid } from '../shared/domain-error';
import { LotEvent, LotEventType } from './lot.events';

/** Every lot event type and the schema versions this code understands. */
const KNOWN: Record<LotEventType, readonly number[]> = {
  LotRegistered: [1],
  DocumentAttached: [1],
  LotLocked: [1],
  LotUnlocked: [1],
  LotReceived: [1],
  LotStored: [1],
  LotDisinfected: [1],
  LotSampled: [1],
  LotDispatched: [1],
  LotSold: [1],
  TraceViolationRecorded: [1],
};

/**
 * Turns a stored event back into a domain event, upgrading old schema
 * versions here (none yet) so evolve only ever sees the current shape.
 */
export const toLotEvent = (type: string, schemaVersion: number, data: unknown): LotEvent => {
  const versions = (KNOWN as Record<string, readonly number[] | undefined>)[type];
  if (!versions || !versions.includes(schemaVersion)) {
    throw invalid('UNKNOWN_EVENT', `cannot read lot event ${type} v${schemaVersion}`);
  }
  if (typeof data !== 'object' || data === null) throw invalid('UNKNOWN_EVENT', `lot event ${type} has no data`);
  return { type, schemaVersion, data } as LotEvent;
};
