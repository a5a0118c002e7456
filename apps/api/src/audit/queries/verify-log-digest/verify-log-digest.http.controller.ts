import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { VerifyLogDigestQuery } from './verify-log-digest.query';
import { VerifyLogDigestRequestDto } from './verify-log-digest.request.dto';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS } from '../../../common/http/api-error.response';
import { LogDigestCheckResponse } from './verify-log-digest.response';

@ApiTags('audit')
@Controller('audit/digest')
export class VerifyLogDigestHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** A check, not a change: 200. */
  @Post('verify')
  @HttpCode(200)
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'Check a digest taken earlier',
    description:
      "Re-computes the digest at that position from today's events' data (every chain re-hashed) and checks every signature up to there: " +
      '`consistent: false` means the history up to the position changed since; `valid: false` names streams whose chain or signatures do not hold.',
  })
  @ApiOkResponse({ type: LogDigestCheckResponse })
  // A POST like the writes: a key that spent its LotProbeBudget waits here too.
  @ApiErrors(BODY_ERRORS, { 429: ['RATE_LIMITED'], 503: ['DATABASE_UNAVAILABLE'] })
  verify(@Body() body: VerifyLogDigestRequestDto) {
    return this.queryBus.execute(new VerifyLogDigestQuery(body.position, body.digest));
  }
}
