import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { facilityDecider, facilityStreamId, toFacilityEvent } from '@app/domain';
import { StoredResponse } from '@app/event-store';
import { CommandExecutor } from '../../../common/commands/command-executor';
import { eventMetadata } from '../../../common/http/request-context';
import { RegisterFacilityCommand, RegisterFacilityResult } from './register-facility.command';

@CommandHandler(RegisterFacilityCommand)
export class RegisterFacilityHandler implements ICommandHandler<RegisterFacilityCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  async execute({ request, context }: RegisterFacilityCommand): Promise<StoredResponse<RegisterFacilityResult>> {
    const { response } = await this.executor.execute({
      streamId: facilityStreamId(request.id),
      streamType: 'facility',
      decider: facilityDecider,
      toEvent: (e) => toFacilityEvent(e.type, e.schemaVersion, e.data),
      command: {
        type: 'RegisterFacility',
        data: { id: request.id, name: request.name, type: request.type, zones: request.zones.map((z) => ({ id: z.id, kind: z.kind })) },
      },
      metadata: eventMetadata(context, { facilityId: request.id }),
      respond: (r) => ({ status: 201, body: { id: request.id, version: r.nextVersion, position: r.position } }),
    });
    return response;
  }
}
