import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { lotCommandResult, LotCommandRunner } from '../../lot-command.runner';
import { LockLotCommand } from './lock-lot.command';

@CommandHandler(LockLotCommand)
export class LockLotHandler implements ICommandHandler<LockLotCommand> {
  constructor(@Inject(LotCommandRunner) private readonly lots: LotCommandRunner) {}

  async execute({ traceCode, reason, context }: LockLotCommand) {
    const { response } = await this.lots.run({
      traceCode,
      context,
      command: { type: 'LockLot', data: { reason } },
      respond: (result, _decided, after) => ({
        status: 200,
        body: { ...lotCommandResult(traceCode, result), locked: after.lock !== null },
      }),
    });
    return response;
  }
}
