import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { lotCommandResult, LotCommandRunner } from '../../lot-command.runner';
import { DestroyLotCommand } from './destroy-lot.command';

/** Destruction is physical: it ends this lot only (its descendants are other cartons, recalled separately). */
@CommandHandler(DestroyLotCommand)
export class DestroyLotHandler implements ICommandHandler<DestroyLotCommand> {
  constructor(@Inject(LotCommandRunner) private readonly lots: LotCommandRunner) {}

  async execute({ traceCode, reason, context }: DestroyLotCommand) {
    const { response } = await this.lots.run({
      traceCode,
      context,
      command: { type: 'DestroyLot', data: { reason } },
      respond: (result) => ({ status: 200, body: lotCommandResult(traceCode, result) }),
    });
    return response;
  }
}
