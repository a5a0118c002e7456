import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommands } from '../../lot-commands';
import { RegisterLotCommand } from './register-lot.command';

@CommandHandler(RegisterLotCommand)
export class RegisterLotHandler implements ICommandHandler<RegisterLotCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ request: r, context }: RegisterLotCommand) {
    const portOfEntry = await this.facilities.get(r.portOfEntryId, 'portOfEntryId');
    return this.lots.run(
      {
        type: 'RegisterLot',
        data: {
          traceCode: r.traceCode,
          product: { name: r.product.name, category: r.product.category, ...(r.product.gtin === undefined ? {} : { gtin: r.product.gtin }) },
          originCountry: r.originCountry,
          importer: r.importer,
          quantity: { amount: r.quantity.amount, unit: r.quantity.unit },
          portOfEntry,
          enteredAt: r.enteredAt,
        },
      },
      { metadata: eventMetadata(context, { facilityId: r.portOfEntryId }) },
    );
  }
}
