import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StoredResponse } from '@app/event-store';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommandResult, lotCommandResult, LotCommandRunner } from '../../lot-command.runner';
import { RegisterLotCommand } from './register-lot.command';

@CommandHandler(RegisterLotCommand)
export class RegisterLotHandler implements ICommandHandler<RegisterLotCommand> {
  constructor(
    @Inject(LotCommandRunner) private readonly lots: LotCommandRunner,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ request: r, context }: RegisterLotCommand): Promise<StoredResponse<LotCommandResult>> {
    const portOfEntry = await this.facilities.get(r.portOfEntryId, 'portOfEntryId');
    const { response } = await this.lots.run({
      traceCode: r.traceCode,
      context,
      metadata: { facilityId: r.portOfEntryId },
      command: {
        type: 'RegisterLot',
        data: {
          traceCode: r.traceCode,
          product: { name: r.product.name, category: r.product.category },
          originCountry: r.originCountry,
          importer: r.importer,
          quantity: { amount: r.quantity.amount, unit: r.quantity.unit },
          portOfEntry,
          enteredAt: r.enteredAt,
        },
      },
      respond: (result) => ({ status: 201, body: lotCommandResult(r.traceCode, result) }),
    });
    return response;
  }
}
