import { lotStreamId } from '@app/domain';
import { AppendManyResult } from '@app/event-store';

/** What a command reaching several lots answers. */
export interface RegulatorActionResult {
  traceCode: string;
  /** The target lot's stream version after the command. */
  version: number;
  /** The highest global position written: pass it as ?atLeast= to read your writes. */
  position: number;
  /** How many lots got an event (the target and the descendants it reached). */
  lotsAffected: number;
}

export const regulatorActionResult = (traceCode: string, result: AppendManyResult): RegulatorActionResult => ({
  traceCode,
  version: result.streams.find((s) => s.streamId === lotStreamId(traceCode))?.nextVersion ?? 0,
  position: result.position,
  lotsAffected: result.streams.filter((s) => s.events.length > 0).length,
});
