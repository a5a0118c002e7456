import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Public } from '../../../access/route-policy';
import { atLeastOf, ReadQueryDto } from '../../../common/queries/read-query.dto';
import { GetPublicLotQuery } from './get-public-lot.query';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { PublicLotResponse } from './get-public-lot.response';

@ApiTags('public')
@Controller('public/lots')
export class GetPublicLotHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The consumer's view behind a pack's QR code; no token, rate limited per client address. */
  @Get(':traceCode')
  @Public({ rateLimited: true })
  @ApiOperation({
    summary: "The shopper's view of a lot",
    description: 'Behind the QR code on a pack: what it is, where it came from, the path it took, which papers are in order, a plain status. No key; rate limited per client address.',
  })
  @ApiOkResponse({ type: PublicLotResponse })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  lot(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto) {
    return this.queryBus.execute(new GetPublicLotQuery(traceCode, atLeastOf(q)));
  }
}
