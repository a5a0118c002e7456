import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { lotCommandResult, LotCommandRunner } from '../../lot-command.runner';
import { UnlockLotCommand } from './unlock-lot.command';

@CommandHandler(UnlockLotCommand)
export class UnlockLotHandler implements ICommandHandler<UnlockLotCommand> {
  constructor(@Inject(LotCommandRunner) private readonly lots: LotCommandRunner) {}

  async execute({ traceCode, reason, context }: UnlockLotCommand) {
    const { response } = await this.lots.run({
      traceCode,
      context,
      command: { type: 'UnlockLot', data: { reason } },
      respond: (result, _decided, after) => ({
        status: 200,
        body: { ...lotCommandResult(traceCode, result), locked: after.lock !== null },
      }),
    });
    return response;
  }
}
