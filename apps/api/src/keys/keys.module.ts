import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { AdminBootstrap } from './admin-bootstrap';
import { IssueKeyHandler } from './commands/issue-key/issue-key.handler';
import { IssueKeyHttpController } from './commands/issue-key/issue-key.http.controller';
import { RevokeKeyHandler } from './commands/revoke-key/revoke-key.handler';
import { RevokeKeyHttpController } from './commands/revoke-key/revoke-key.http.controller';
import { ListKeysHandler } from './queries/list-keys/list-keys.handler';
import { ListKeysHttpController } from './queries/list-keys/list-keys.http.controller';

@Module({
  imports: [FacilitiesModule],
  controllers: [IssueKeyHttpController, RevokeKeyHttpController, ListKeysHttpController],
  providers: [IssueKeyHandler, RevokeKeyHandler, ListKeysHandler, AdminBootstrap],
})
export class KeysModule {}
