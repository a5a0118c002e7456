import { invalid } from '../shared/domain-error';
import { LotEvent, LotEventType } from './lot.events';

/** Every lot event type and the schema versions this code understands. */
const KNOWN: Record<LotEventType, readonly number[]> = {
  LotRegistered: [1],
  DocumentAttached: [1],
  LotLocked: [1, 2],
  LotUnlocked: [1, 2],
  LotReceived: [1],
  LotStored: [1],
  LotDisinfected: [1],
  LotSampled: [1],
  LotDispatched: [1],
  LotSold: [1],
  TraceViolationRecorded: [1],
  LotSplit: [1],
  LotMerged: [1],
  LotDerived: [1],
  LotRecalled: [1],
  LotDestroyed: [1],
  ComplianceFlagRaised: [1],
};


/**
 * Turns a stored event back into a domain event, upgrading old schema
 * versions here (none yet) so evolve only ever sees the current shape.
 */
export const toLotEvent = (type: string, schemaVersion: number, data: unknown): LotEvent => {
  // Own keys only: 'toString' or '__proto__' are not event types.
  const versions = Object.hasOwn(KNOWN, type) ? (KNOWN as Record<string, readonly number[]>)[type] : undefined;
  if (!versions || !versions.includes(schemaVersion)) {
    throw invalid('UNKNOWN_EVENT', `cannot read lot event ${type} v${schemaVersion}`);
  }
  if (typeof data !== 'object' || data === null) throw invalid('UNKNOWN_EVENT', `lot event ${type} has no data`);
  // v1 locks and unlocks were always the lot's own: no ancestor.
  if ((type === 'LotLocked' || type === 'LotUnlocked') && schemaVersion === 1) {
    return { type, schemaVersion: 2, data: { ...(data as object), ancestor: null } } as LotEvent;
  }
  return { type, schemaVersion, data } as LotEvent;
};
