import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { VerifyLotChainQuery } from './verify-lot-chain.query';

@Controller('audit/lots')
export class VerifyLotChainHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':traceCode/verify')
  @Allow(['REGULATOR'])
  verify(@Param('traceCode') traceCode: string) {
    return this.queryBus.execute(new VerifyLotChainQuery(traceCode));
  }
}
