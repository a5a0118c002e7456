import { LotCommand, lotDecider } from '@app/domain';
import { GenealogyReader } from '@app/read-models';
import { EntityManager } from 'typeorm';
import { LotLoader, LotPlan } from './lot-batch.executor';

/**
 * A regulator's action on a lot reaches every descendant, transitively, wherever
 * it is: the target gets `onTarget`, each descendant `onDescendant`; every lot
 * gets its own event. Lots the command leaves unchanged are skipped.
 */
export const planForLotAndDescendants = async (
  genealogy: GenealogyReader,
  load: LotLoader,
  manager: EntityManager,
  target: string,
  onTarget: LotCommand,
  onDescendant: LotCommand,
  now: Date,
): Promise<LotPlan> => {
  const codes = await lockedFamily(genealogy, load, manager, [target]);
  const lots = await load(codes);
  return codes.map((tc) => ({
    traceCode: tc,
    events: lotDecider.decide(tc === target ? onTarget : onDescendant, lots.get(tc)!.state, now),
  }));
};

/**
 * Every descendant of `from`, with each one's stream locked. Read again after
 * locking until nothing new appears: a split that committed while we read is
 * then seen, and one that comes later waits for us and its child inherits
 * what we decide.
 */
export const lockedFamily = async (genealogy: GenealogyReader, load: LotLoader, manager: EntityManager, from: readonly string[]): Promise<string[]> => {
  const codes = new Set(await genealogy.descendants(from, manager));
  for (;;) {
    await load([...codes]);
    const fresh = (await genealogy.descendants(from, manager)).filter((c) => !codes.has(c));
    if (fresh.length === 0) return [...codes];
    for (const c of fresh) codes.add(c);
  }
};
