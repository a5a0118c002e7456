import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { AttachDocumentHandler } from './commands/attach-document/attach-document.handler';
import { AttachDocumentHttpController } from './commands/attach-document/attach-document.http.controller';
import { LockLotHandler } from './commands/lock-lot/lock-lot.handler';
import { LockLotHttpController } from './commands/lock-lot/lock-lot.http.controller';
import { RegisterLotHandler } from './commands/register-lot/register-lot.handler';
import { RegisterLotHttpController } from './commands/register-lot/register-lot.http.controller';
import { UnlockLotHandler } from './commands/unlock-lot/unlock-lot.handler';
import { LotCommandRunner } from './lot-command.runner';
import { LotQueriesHttpController } from './lot-queries.http.controller';
import { LotReadRepository } from './lot-read.repository';
import { GetLotHistoryHandler } from './queries/get-lot-history/get-lot-history.handler';
import { GetLotHandler } from './queries/get-lot/get-lot.handler';
import { GetSaleEligibilityHandler } from './queries/get-sale-eligibility/get-sale-eligibility.handler';

@Module({
  imports: [FacilitiesModule],
  controllers: [RegisterLotHttpController, AttachDocumentHttpController, LockLotHttpController, LotQueriesHttpController],
  providers: [
    LotCommandRunner,
    LotReadRepository,
    RegisterLotHandler,
    AttachDocumentHandler,
    LockLotHandler,
    UnlockLotHandler,
    GetLotHandler,
    GetLotHistoryHandler,
    GetSaleEligibilityHandler,
  ],
  exports: [LotCommandRunner],
})
export class LotsModule {}
