import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider, apiKeyStreamId, toApiKeyEvent } from '@app/domain';
import { StoredResponse } from '@app/event-store';
import { CommandExecutor } from '../../../common/commands/command-executor';
import { eventMetadata } from '../../../common/http/request-context';
import { CredentialStore } from '../../../access/credential-store';
import { RevokedKey, RevokeKeyCommand } from './revoke-key.command';

/**
 * Revokes a credential (an event: who, when). This process stops accepting it
 * at once; every other process within AUTH_REFRESH_MS.
 */
@CommandHandler(RevokeKeyCommand)
export class RevokeKeyHandler implements ICommandHandler<RevokeKeyCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Optional() @Inject(CredentialStore) private readonly credentials: CredentialStore | null = null,
  ) {}

  async execute({ keyId, context }: RevokeKeyCommand): Promise<StoredResponse<RevokedKey>> {
    const { response } = await this.executor.execute({
      streamId: apiKeyStreamId(keyId),
      streamType: 'apikey',
      decider: apiKeyDecider,
      toEvent: (e) => toApiKeyEvent(e.type, e.schemaVersion, e.data),
      command: { type: 'RevokeApiKey', data: { keyId } },
      metadata: eventMetadata(context),
      respond: (r, _decided, after) => ({
        status: 200,
        body: { id: keyId, revokedAt: after.key!.revokedAt!, version: r.nextVersion, position: r.position },
      }),
    });
    await this.credentials?.refresh();
    return response;
  }
}
