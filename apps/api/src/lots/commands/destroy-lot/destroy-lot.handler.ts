import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../../common/http/request-context';
import { LotCommands } from '../../lot-commands';
import { DestroyLotCommand } from './destroy-lot.command';

/** Destruction is physical: it ends this lot only (its descendants are other cartons, recalled separately). */
@CommandHandler(DestroyLotCommand)
export class DestroyLotHandler implements ICommandHandler<DestroyLotCommand> {
  constructor(@Inject(LotCommands) private readonly lots: LotCommands) {}

  execute({ traceCode, reason, context }: DestroyLotCommand) {
    return this.lots.run({ type: 'DestroyLot', traceCode, reason }, { metadata: eventMetadata(context) });
  }
}
