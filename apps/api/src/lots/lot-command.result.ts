import { CommandResult } from '../common/commands/command-executor';
import { streamOf } from '../common/http/answer';

/** What every lot command answers about one lot: where its stream and the global log stand now. */
export interface LotCommandResult {
  traceCode: string;
  version: number;
  position: number;
  events: { type: string; version: number }[];
}

export const lotCommandResult = <O>(traceCode: string, result: CommandResult<O>): LotCommandResult => ({
  traceCode,
  ...streamOf(result, traceCode),
  position: result.position,
});

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

export const regulatorActionResult = <O>(traceCode: string, result: CommandResult<O>): RegulatorActionResult => ({
  traceCode,
  version: streamOf(result, traceCode).version,
  position: result.position,
  lotsAffected: result.streams.filter((s) => s.events.length > 0).length,
});
