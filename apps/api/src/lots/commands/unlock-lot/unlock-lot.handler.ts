import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { isLocked, lotDecider } from '@app/domain';
import { GenealogyReader } from '@app/read-models';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { planForLotAndDescendants } from '../../lot-propagation';
import { regulatorActionResult } from '../../regulator-action.result';
import { UnlockLotCommand } from './unlock-lot.command';

/** Unlocks the lot and, through it, every descendant. */
@CommandHandler(UnlockLotCommand)
export class UnlockLotHandler implements ICommandHandler<UnlockLotCommand> {
  constructor(
    @Inject(LotBatchExecutor) private readonly batch: LotBatchExecutor,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
  ) {}

  async execute({ traceCode, reason, context }: UnlockLotCommand) {
    let locked = false;
    const response = await this.batch.run({
      metadata: { actor: context.actor, correlationId: context.correlationId },
      plan: async (load) => {
        const now = new Date();
        const plan = await planForLotAndDescendants(
          this.genealogy,
          load,
          traceCode,
          { type: 'UnlockLot', data: { reason } },
          { type: 'UnlockLot', data: { reason, ancestor: traceCode } },
          now,
        );
        const target = (await load([traceCode])).get(traceCode)!.state;
        // Still locked after an unlock when an ancestor's lock also reaches it.
        locked = isLocked(plan.find((p) => p.traceCode === traceCode)!.events.reduce(lotDecider.evolve, target));
        return plan;
      },
      respond: (result) => ({ status: 200, body: { ...regulatorActionResult(traceCode, result), locked } }),
    });
    return response;
  }
}
