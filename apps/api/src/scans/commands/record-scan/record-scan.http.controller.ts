import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { RecordScanCommand } from './record-scan.command';
import { RecordScanRequestDto } from './record-scan.request.dto';

@Controller('scans')
export class RecordScanHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** The same scanId sent again records nothing and answers exactly as the first time. */
  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'facilityId' } })
  async record(@Body() body: RecordScanRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { status, body: result } = await this.commandBus.execute(new RecordScanCommand(body, ctx));
    res.status(status);
    return result;
  }
}
