import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Public } from '../../../access/route-policy';
import { atLeastOf, ReadQueryDto } from '../../../common/queries/read-query.dto';
import { GetPublicLotQuery } from './get-public-lot.query';

@Controller('public/lots')
export class GetPublicLotHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The consumer's view behind a pack's QR code; no token, rate limited per client address. */
  @Get(':traceCode')
  @Public({ rateLimited: true })
  lot(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto) {
    return this.queryBus.execute(new GetPublicLotQuery(traceCode, atLeastOf(q)));
  }
}
