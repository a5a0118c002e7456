import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { GetLogDigestQuery } from './get-log-digest.query';

@Controller('audit/digest')
export class GetLogDigestHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  digest() {
    return this.queryBus.execute(new GetLogDigestQuery());
  }
}
