import { Controller, Delete, Inject, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { RevokeKeyCommand } from './revoke-key.command';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, COMMAND_ERRORS } from '../../../common/http/api-error.response';
import { RevokedKeyResponse } from './revoke-key.response';

@ApiTags('keys')
@Controller('keys')
export class RevokeKeyHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** Revoking a revoked key again answers the first revocation. */
  @Delete(':id')
  @Allow(['ADMIN'])
  @ApiOperation({ summary: 'Revoke a key', description: 'Takes effect in every api process within AUTH_REFRESH_MS; revoking again answers the first revocation.' })
  @ApiOkResponse({ type: RevokedKeyResponse })
  @ApiErrors(COMMAND_ERRORS, { 404: ['KEY_NOT_FOUND'] })
  revoke(@Param('id') id: string, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new RevokeKeyCommand(id, ctx));
  }
}
