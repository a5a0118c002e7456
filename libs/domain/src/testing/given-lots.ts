/**
 * Given / when / then for the multi-stream decider: lots given by their
 * histories, a command over them, the events each lot gets and the outcome.
 *
 *   givenLots({ A: h1, B: h2 }).when(command, now).then({ A: [...], B: [] }, outcome);
 *
 * Frozen inputs, as for the single-lot decider (node:assert, no jest globals).
 */
import { deepStrictEqual, fail, strictEqual } from 'node:assert/strict';
import { DomainError } from '../shared/domain-error';
import { LotEvent } from '../lot/lot.events';
import { decideLots, LotFamilyCommand, LotFamilyDecision, LotFamilyOutcome, lotsRead } from '../lot/lot-family.decider';
import { LotState } from '../lot/lot.state';
import { deepFreeze } from './given-when-then';
import { LotHistory } from './lot-fixtures';

export const givenLots = (histories: Readonly<Record<string, LotHistory>>) => ({
  when: <C extends LotFamilyCommand>(command: C, now: Date) => {
    const decide = (): LotFamilyDecision<LotFamilyOutcome<C>> => {
      const lots = new Map<string, LotState>(Object.entries(histories).map(([tc, h]) => [tc, deepFreeze(h.state)]));
      // The decider reads only what lotsRead names: nothing else is handed to it.
      const read = new Map([...lots].filter(([tc]) => lotsRead(command).includes(tc)));
      return decideLots(deepFreeze(command), read, now);
    };
    return {
      /** Every lot named gets exactly these events (a lot given [] is read and left as it is); returns the decision. */
      then: (expected: Readonly<Record<string, readonly LotEvent[]>>, outcome?: LotFamilyOutcome<C>): LotFamilyDecision<LotFamilyOutcome<C>> => {
        const decision = decide();
        deepStrictEqual(Object.fromEntries(decision.lots.map((l) => [l.traceCode, [...l.events]])), Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v]])));
        if (outcome !== undefined) deepStrictEqual(decision.outcome, outcome);
        return decision;
      },
      thenThrows: (code: string): DomainError => {
        try {
          decide();
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          strictEqual(error.code, code, `expected DomainError ${code}, got ${error.code}: ${error.message}`);
          return error;
        }
        return fail(`expected DomainError ${code}, but the command was accepted`);
      },
    };
  },
});
