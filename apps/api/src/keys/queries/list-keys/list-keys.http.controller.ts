import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { ListKeysQuery } from './list-keys.query';

@Controller('keys')
export class ListKeysHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['ADMIN'])
  list() {
    return this.queryBus.execute(new ListKeysQuery());
  }
}
