import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { ListKeysQuery } from './list-keys.query';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/api-error.response';
import { KeyListResponse } from './list-keys.response';

@ApiTags('keys')
@Controller('keys')
export class ListKeysHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['ADMIN'])
  @ApiOperation({ summary: 'Every key', description: 'With who issued and revoked it; never a token or its digest.' })
  @ApiOkResponse({ type: KeyListResponse })
  @ApiErrors({ 503: ['DATABASE_UNAVAILABLE'] })
  list() {
    return this.queryBus.execute(new ListKeysQuery());
  }
}
