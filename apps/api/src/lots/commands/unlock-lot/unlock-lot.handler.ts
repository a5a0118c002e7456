import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../../common/http/request-context';
import { LotCommands } from '../../lot-commands';
import { UnlockLotCommand } from './unlock-lot.command';

/** Unlocks the lot and, through it, every descendant. */
@CommandHandler(UnlockLotCommand)
export class UnlockLotHandler implements ICommandHandler<UnlockLotCommand> {
  constructor(@Inject(LotCommands) private readonly lots: LotCommands) {}

  execute({ traceCode, reason, context }: UnlockLotCommand) {
    return this.lots.run({ type: 'UnlockLot', traceCode, reason }, { metadata: eventMetadata(context) });
  }
}
