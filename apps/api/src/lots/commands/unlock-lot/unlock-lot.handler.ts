import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { GenealogyReader } from '@app/read-models';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { LockChangeHandler } from '../lock-lot/lock-change.handler';
import { UnlockLotCommand } from './unlock-lot.command';

/** Unlocks the lot and, through it, every descendant. */
@CommandHandler(UnlockLotCommand)
export class UnlockLotHandler extends LockChangeHandler implements ICommandHandler<UnlockLotCommand> {
  protected readonly commandType = 'UnlockLot';

  constructor(@Inject(LotBatchExecutor) batch: LotBatchExecutor, @Inject(GenealogyReader) genealogy: GenealogyReader) {
    super(batch, genealogy);
  }

  execute({ traceCode, reason, context }: UnlockLotCommand) {
    return this.change(traceCode, reason, context);
  }
}
