import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { GenealogyReader } from '@app/read-models';
import { LotBatchExecutor } from '../../lot-batch.executor';
import { LockChangeHandler } from './lock-change.handler';
import { LockLotCommand } from './lock-lot.command';

/** Locks the lot and, through it, every descendant. */
@CommandHandler(LockLotCommand)
export class LockLotHandler extends LockChangeHandler implements ICommandHandler<LockLotCommand> {
  protected readonly commandType = 'LockLot';

  constructor(@Inject(LotBatchExecutor) batch: LotBatchExecutor, @Inject(GenealogyReader) genealogy: GenealogyReader) {
    super(batch, genealogy);
  }

  execute({ traceCode, reason, context }: LockLotCommand) {
    return this.change(traceCode, reason, context);
  }
}
