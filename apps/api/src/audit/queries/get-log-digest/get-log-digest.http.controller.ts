import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { GetLogDigestQuery } from './get-log-digest.query';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/api-error.response';
import { LogDigestResponse } from './get-log-digest.response';

@ApiTags('audit')
@Controller('audit/digest')
export class GetLogDigestHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'Digest of the whole event log, signed',
    description: "SHA-256 over every stream's head at a position, signed with the event-signing key: keep it elsewhere and check it later with POST /api/audit/digest/verify or npm run audit:verify -- --digest.",
  })
  @ApiOkResponse({ type: LogDigestResponse })
  @ApiErrors({ 503: ['DATABASE_UNAVAILABLE'] })
  digest() {
    return this.queryBus.execute(new GetLogDigestQuery());
  }
}
