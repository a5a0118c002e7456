import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { VerifyLotChainQuery } from './verify-lot-chain.query';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/api-error.response';
import { LotChainResponse } from './verify-lot-chain.response';

@ApiTags('audit')
@Controller('audit/lots')
export class VerifyLotChainHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':traceCode/verify')
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: "Verify a lot's hash chain and signatures",
    description: "Re-computes every event's chain hash of the lot's stream, checks each event's Ed25519 signature with the published keys, and says whether the stored ones hold.",
  })
  @ApiOkResponse({ type: LotChainResponse })
  @ApiErrors({ 404: ['LOT_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] })
  verify(@Param('traceCode') traceCode: string) {
    return this.queryBus.execute(new VerifyLotChainQuery(traceCode));
  }
}
