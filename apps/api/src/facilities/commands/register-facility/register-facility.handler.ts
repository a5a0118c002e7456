import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { facilityDecider } from '@app/domain';
import { FACILITY } from '../../../common/commands/aggregates';
import { CommandExecutor } from '../../../common/commands/command-executor';
import { eventMetadata } from '../../../common/http/request-context';
import { RegisterFacilityCommand } from './register-facility.command';

@CommandHandler(RegisterFacilityCommand)
export class RegisterFacilityHandler implements ICommandHandler<RegisterFacilityCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ request, context }: RegisterFacilityCommand) {
    const command = {
      type: 'RegisterFacility' as const,
      data: { id: request.id, name: request.name, type: request.type, zones: request.zones.map((z) => ({ id: z.id, kind: z.kind })) },
    };
    return this.executor.execute({
      type: 'RegisterFacility',
      aggregate: FACILITY,
      primary: request.id,
      metadata: eventMetadata(context, { facilityId: request.id }),
      decide: async (load, _tx, now) => ({
        streams: [{ key: request.id, events: facilityDecider.decide(command, (await load([request.id])).get(request.id)!, now) }],
        outcome: null,
      }),
    });
  }
}
