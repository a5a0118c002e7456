import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { IssueKeyCommand } from './issue-key.command';
import { IssueKeyRequestDto } from './issue-key.request.dto';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { IssuedKeyResponse } from './issue-key.response';

@ApiTags('keys')
@Controller('keys')
export class IssueKeyHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 201 with the token: shown here once, stored only as its SHA-256. */
  @Post()
  @HttpCode(201)
  @Allow(['ADMIN'])
  @ApiOperation({ summary: 'Issue a key', description: 'One role per key; an OPERATOR names its facilities. The token is in this answer only.' })
  @ApiCreatedResponse({ type: IssuedKeyResponse })
  @ApiErrors(BODY_ERRORS, COMMAND_ERRORS, { 404: ['FACILITY_NOT_FOUND'] })
  issue(@Body() body: IssueKeyRequestDto, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new IssueKeyCommand(body, ctx));
  }
}
