import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { IssueKeyCommand } from './issue-key.command';
import { IssueKeyRequestDto } from './issue-key.request.dto';

@Controller('keys')
export class IssueKeyHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 201 with the token: shown here once, stored only as its SHA-256. */
  @Post()
  @HttpCode(201)
  @Allow(['ADMIN'])
  issue(@Body() body: IssueKeyRequestDto, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new IssueKeyCommand(body, ctx));
  }
}
