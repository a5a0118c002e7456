import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { ResolveViolationCommand } from './resolve-violation.command';
import { ResolveViolationRequestDto } from './resolve-violation.request.dto';

@Controller('lots')
export class ResolveViolationHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** The scan that caused the violation stays on file; the resolution (and any correction) is recorded beside it. */
  @Post(':traceCode/violations/:violationId/resolve')
  @HttpCode(200)
  @Allow(['REGULATOR'])
  async resolve(
    @Param('traceCode') traceCode: string,
    @Param('violationId') violationId: string,
    @Body() body: ResolveViolationRequestDto,
    @Ctx() ctx: RequestContext,
  ) {
    return (await this.commandBus.execute(new ResolveViolationCommand(traceCode, violationId, body, ctx))).body;
  }
}
