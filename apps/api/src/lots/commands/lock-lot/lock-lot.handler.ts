import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../../common/http/request-context';
import { LotCommands } from '../../lot-commands';
import { LockLotCommand } from './lock-lot.command';

/** Locks the lot and, through it, every descendant. */
@CommandHandler(LockLotCommand)
export class LockLotHandler implements ICommandHandler<LockLotCommand> {
  constructor(@Inject(LotCommands) private readonly lots: LotCommands) {}

  execute({ traceCode, reason, context }: LockLotCommand) {
    return this.lots.run({ type: 'LockLot', traceCode, reason }, { metadata: eventMetadata(context) });
  }
}
