import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { answer } from '../../../common/http/answer';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { regulatorActionResult } from '../../lot-command.result';
import { ResolveViolationCommand, ResolveViolationResult } from './resolve-violation.command';
import { ResolveViolationRequestDto } from './resolve-violation.request.dto';

@Controller('lots')
export class ResolveViolationHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** The scan that caused the violation stays on file; the resolution (and any correction) is recorded beside it. */
  @Post(':traceCode/violations/:violationId/resolve')
  @Allow(['REGULATOR'])
  async resolve(
    @Param('traceCode') traceCode: string,
    @Param('violationId') violationId: string,
    @Body() body: ResolveViolationRequestDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return answer(res, await this.commandBus.execute(new ResolveViolationCommand(traceCode, violationId, body, ctx)), (r) => {
      const result: ResolveViolationResult = { ...regulatorActionResult(traceCode, r), violationId, correctionId: r.outcome.correctionId };
      return { status: 200, body: result };
    });
  }
}
