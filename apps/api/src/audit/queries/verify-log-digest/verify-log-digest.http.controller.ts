import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { VerifyLogDigestQuery } from './verify-log-digest.query';
import { VerifyLogDigestRequestDto } from './verify-log-digest.request.dto';

@Controller('audit/digest')
export class VerifyLogDigestHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** A check, not a change: 200. */
  @Post('verify')
  @HttpCode(200)
  @Allow(['REGULATOR'])
  verify(@Body() body: VerifyLogDigestRequestDto) {
    return this.queryBus.execute(new VerifyLogDigestQuery(body.position, body.digest));
  }
}
