import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../access/route-policy';
import { ListSigningKeysQuery } from './list-signing-keys.query';
import { SigningKeysResponse } from './list-signing-keys.response';

@ApiTags('audit')
@Controller('audit/keys')
export class ListSigningKeysHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /**
   * Public, as public keys are: whoever holds an event (a Kafka consumer, a
   * retailer's copy of a history, a backup) checks its signature with these
   * and no credential of ours. Served from memory; nothing to rate limit.
   */
  @Get()
  @Public({ rateLimited: false })
  @ApiOperation({
    summary: 'Public keys that sign events',
    description:
      "Ed25519 public keys: each event's signature (history, Kafka messages, backups) and each digest's name one by signingKeyId. " +
      'An event signature is over the 32 raw bytes of its hash; a digest signature over the UTF-8 text coldtrace-log-digest:v1:<position>:<digest>:<computedAt>.',
  })
  @ApiOkResponse({ type: SigningKeysResponse })
  keys() {
    return this.queryBus.execute(new ListSigningKeysQuery());
  }
}
