import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { AttachDocumentCommand } from './attach-document.command';
import { AttachDocumentRequestDto } from './attach-document.request.dto';

@Controller('lots')
export class AttachDocumentHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':traceCode/documents')
  @Allow(['INSPECTOR'])
  async attach(
    @Param('traceCode') traceCode: string,
    @Body() body: AttachDocumentRequestDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { status, body: result } = await this.commandBus.execute(new AttachDocumentCommand(traceCode, body, ctx));
    res.status(status);
    return result;
  }
}
