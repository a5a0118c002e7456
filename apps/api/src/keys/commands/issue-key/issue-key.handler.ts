import { randomUUID } from 'node:crypto';
import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider, apiKeyStreamId, toApiKeyEvent } from '@app/domain';
import { StoredResponse } from '@app/event-store';
import { CommandExecutor } from '../../../common/commands/command-executor';
import { eventMetadata } from '../../../common/http/request-context';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { tokenDigest } from '../../../access/access-token';
import { CredentialStore } from '../../../access/credential-store';
import { IssueKeyCommand, IssuedKey } from './issue-key.command';

/** Issues a credential; its creation is an event signed by the admin who made it. */
@CommandHandler(IssueKeyCommand)
export class IssueKeyHandler implements ICommandHandler<IssueKeyCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Optional() @Inject(CredentialStore) private readonly credentials: CredentialStore | null = null,
  ) {}

  async execute({ request, context, token }: IssueKeyCommand): Promise<StoredResponse<IssuedKey>> {
    const facilityIds = request.facilityIds ?? [];
    const registered = [...(await this.facilities.findMany(facilityIds)).values()];
    const keyId = randomUUID();
    const { response } = await this.executor.execute({
      streamId: apiKeyStreamId(keyId),
      streamType: 'apikey',
      decider: apiKeyDecider,
      toEvent: (e) => toApiKeyEvent(e.type, e.schemaVersion, e.data),
      command: { type: 'IssueApiKey', data: { keyId, name: request.name, role: request.role, facilityIds, registered, tokenSha256: tokenDigest(token) } },
      metadata: eventMetadata(context),
      // Never stored (no idempotency record): the token exists only in this answer.
      respond: (_r, _decided, after) => ({
        status: 201,
        body: {
          id: keyId,
          name: after.key!.name,
          role: after.key!.role,
          facilityIds: [...after.key!.facilityIds],
          createdAt: after.key!.issuedAt,
          token,
        },
      }),
    });
    await this.credentials?.refresh();
    return response;
  }
}
