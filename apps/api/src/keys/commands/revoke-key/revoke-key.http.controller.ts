import { Controller, Delete, Inject, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { RevokeKeyCommand } from './revoke-key.command';

@Controller('keys')
export class RevokeKeyHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** Revoking a revoked key again answers the first revocation. */
  @Delete(':id')
  @Allow(['ADMIN'])
  revoke(@Param('id') id: string, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new RevokeKeyCommand(id, ctx));
  }
}
