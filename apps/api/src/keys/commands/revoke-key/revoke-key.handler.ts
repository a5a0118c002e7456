import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider } from '@app/domain';
import { API_KEY } from '../../../common/commands/aggregates';
import { CommandExecutor } from '../../../common/commands/command-executor';
import { streamOf } from '../../../common/http/answer';
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

  async execute({ keyId, context }: RevokeKeyCommand): Promise<RevokedKey> {
    const executed = await this.executor.execute({
      type: 'RevokeApiKey',
      aggregate: API_KEY,
      primary: keyId,
      metadata: eventMetadata(context),
      decide: async (load, _tx, now) => {
        const before = (await load([keyId])).get(keyId)!;
        const events = apiKeyDecider.decide({ type: 'RevokeApiKey', data: { keyId } }, before, now);
        return { streams: [{ key: keyId, events }], outcome: { revokedAt: events.reduce(apiKeyDecider.evolve, before).key!.revokedAt! } };
      },
    });
    if (executed.kind !== 'executed') throw new Error('a revocation is never recorded under an idempotency key');
    await this.credentials?.refresh();
    const { result } = executed;
    return { id: keyId, revokedAt: result.outcome.revokedAt, version: streamOf(result, keyId).version, position: result.position };
  }
}
