import { Body, Controller, Inject, Post } from '@nestjs/common';
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
  @Allow(['ADMIN'])
  async issue(@Body() body: IssueKeyRequestDto, @Ctx() ctx: RequestContext) {
    return (await this.commandBus.execute(new IssueKeyCommand(body, ctx))).body;
  }
}
