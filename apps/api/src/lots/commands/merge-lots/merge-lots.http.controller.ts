import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { MergeLotsCommand, MergeLotsResult } from './merge-lots.command';
import { MergeLotsRequestDto } from './merge-lots.request.dto';

@Controller('lots')
export class MergeLotsHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post('merges')
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'facilityId' } })
  async merge(@Body() body: MergeLotsRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.commandBus.execute(new MergeLotsCommand(body, ctx)), (r) => {
      const result: MergeLotsResult = { mergeId: body.mergeId, traceCode: body.traceCode, quantity: r.outcome.quantity, parents: r.outcome.parents, position: r.position };
      return { status: 201, body: result };
    });
  }
}
