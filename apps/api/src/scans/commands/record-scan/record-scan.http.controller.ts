import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { recordScanResult } from '../../scan-command';
import { RecordScanCommand } from './record-scan.command';
import { RecordScanRequestDto } from './record-scan.request.dto';

@Controller('scans')
export class RecordScanHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** The same scanId sent again (by the same key) records nothing and answers exactly as the first time. */
  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'facilityId' } })
  async record(@Body() body: RecordScanRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new RecordScanCommand(body, ctx)), (r) => ({ status: 201, body: recordScanResult(body, r) }));
  }
}
