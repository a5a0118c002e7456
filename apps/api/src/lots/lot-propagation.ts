import { LotCommand, lotDecider } from '@app/domain';
import { GenealogyReader } from '@app/read-models';
import { LotLoader, LotPlan } from './lot-batch.executor';

/**
 * A regulator's action on a lot reaches every descendant, transitively, wherever
 * it is: the target gets `onTarget`, each descendant `onDescendant`; every lot
 * gets its own event. Lots the command leaves unchanged are skipped.
 */
export const planForLotAndDescendants = async (
  genealogy: GenealogyReader,
  load: LotLoader,
  target: string,
  onTarget: LotCommand,
  onDescendant: LotCommand,
  now: Date,
): Promise<LotPlan> => {
  const codes = await genealogy.descendants([target]);
  const lots = await load(codes);
  return codes.map((tc) => ({
    traceCode: tc,
    events: lotDecider.decide(tc === target ? onTarget : onDescendant, lots.get(tc)!.state, now),
  }));
};
