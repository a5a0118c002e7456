import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { FacilityRef, LotFamilyRequest } from '@app/domain';
import { eventMetadata, type RequestContext } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommandOf, LotCommands } from '../../lot-commands';
import { RegisterLotCommand } from './register-lot.command';
import type { RegisterLotRequestDto } from './register-lot.request.dto';

/** A registration as the lot command it is (for POST /api/lots and EPCIS capture alike). */
export const registerLot = (r: RegisterLotRequestDto, portOfEntry: FacilityRef, context: RequestContext): LotCommandOf<Extract<LotFamilyRequest, { type: 'RegisterLot' }>> => ({
  command: {
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
  context: { metadata: eventMetadata(context, { facilityId: r.portOfEntryId }) },
});

@CommandHandler(RegisterLotCommand)
export class RegisterLotHandler implements ICommandHandler<RegisterLotCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ request: r, context }: RegisterLotCommand) {
    const { command, context: recorded } = registerLot(r, await this.facilities.get(r.portOfEntryId, 'portOfEntryId'), context);
    return this.lots.run(command, recorded);
  }
}
