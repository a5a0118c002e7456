import { isLocked, lotDecider } from '@app/domain';
import { StoredResponse } from '@app/event-store';
import { GenealogyReader } from '@app/read-models';
import { eventMetadata, type RequestContext } from '../../../common/http/request-context';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { planForLotAndDescendants } from '../../lot-propagation';
import { regulatorActionResult, RegulatorActionResult } from '../../regulator-action.result';

/** Lock and unlock share one shape: the lot's own change, and the same change through it on every descendant. */
export abstract class LockChangeHandler {
  protected abstract readonly commandType: 'LockLot' | 'UnlockLot';

  constructor(
    private readonly batch: LotBatchExecutor,
    private readonly genealogy: GenealogyReader,
  ) {}

  protected async change(traceCode: string, reason: string, context: RequestContext): Promise<StoredResponse<RegulatorActionResult & { locked: boolean }>> {
    return this.batch.run<RegulatorActionResult & { locked: boolean }, { locked: boolean }>({
      primary: traceCode,
      metadata: eventMetadata(context),
      plan: async (load, manager) => {
        const plan = await planForLotAndDescendants(
          this.genealogy,
          load,
          manager,
          traceCode,
          { type: this.commandType, data: { reason } },
          { type: this.commandType, data: { reason, ancestor: traceCode } },
          new Date(),
        );
        const target = (await load([traceCode])).get(traceCode)!.state;
        // Still locked after an unlock when an ancestor's lock also reaches it.
        const locked = isLocked(plan.find((p) => p.traceCode === traceCode)!.events.reduce(lotDecider.evolve, target));
        return { lots: plan, outcome: { locked } };
      },
      respond: (result, { outcome }) => ({ status: 200, body: { ...regulatorActionResult(traceCode, result), locked: outcome.locked } }),
    });
  }
}
