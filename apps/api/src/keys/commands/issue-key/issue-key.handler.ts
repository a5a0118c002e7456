import { randomUUID } from 'node:crypto';
import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider } from '@app/domain';
import { API_KEY } from '../../../common/commands/aggregates';
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

  async execute({ request, context, token }: IssueKeyCommand): Promise<IssuedKey> {
    const facilityIds = request.facilityIds ?? [];
    const registered = [...(await this.facilities.findMany(facilityIds)).values()];
    const keyId = randomUUID();
    const command = { type: 'IssueApiKey' as const, data: { keyId, name: request.name, role: request.role, facilityIds, registered, tokenSha256: tokenDigest(token) } };
    // No idempotency record: the token exists only in this answer.
    const executed = await this.executor.execute({
      type: 'IssueApiKey',
      aggregate: API_KEY,
      primary: keyId,
      metadata: eventMetadata(context),
      decide: async (load, _tx, now) => {
        const before = (await load([keyId])).get(keyId)!;
        const events = apiKeyDecider.decide(command, before, now);
        const key = events.reduce(apiKeyDecider.evolve, before).key!;
        return {
          streams: [{ key: keyId, events }],
          outcome: { id: keyId, name: key.name, role: key.role, facilityIds: [...key.facilityIds], createdAt: key.issuedAt },
        };
      },
    });
    if (executed.kind !== 'executed') throw new Error('a key is never issued under an idempotency key');
    await this.credentials?.refresh();
    return { ...executed.result.outcome, token };
  }
}
