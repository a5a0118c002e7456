import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { CriticalTrackingEventsModule } from './critical-tracking-events/critical-tracking-events.module';
import { ExportTraceCsvHandler } from './queries/export-trace-csv/export-trace-csv.handler';
import { ExportTraceCsvHttpController } from './queries/export-trace-csv/export-trace-csv.http.controller';
import { AttachDocumentHandler } from './commands/attach-document/attach-document.handler';
import { AttachDocumentHttpController } from './commands/attach-document/attach-document.http.controller';
import { LockLotHandler } from './commands/lock-lot/lock-lot.handler';
import { RegisterLotHandler } from './commands/register-lot/register-lot.handler';
import { RegisterLotHttpController } from './commands/register-lot/register-lot.http.controller';
import { UnlockLotHandler } from './commands/unlock-lot/unlock-lot.handler';
import { DestroyLotHandler } from './commands/destroy-lot/destroy-lot.handler';
import { MergeLotsHandler } from './commands/merge-lots/merge-lots.handler';
import { MergeLotsHttpController } from './commands/merge-lots/merge-lots.http.controller';
import { RecallLotHandler } from './commands/recall-lot/recall-lot.handler';
import { SplitLotHandler } from './commands/split-lot/split-lot.handler';
import { SplitLotHttpController } from './commands/split-lot/split-lot.http.controller';
import { RecordTemperaturesHandler } from './commands/record-temperatures/record-temperatures.handler';
import { RecordTemperaturesHttpController } from './commands/record-temperatures/record-temperatures.http.controller';
import { RecordScanHttpController } from './commands/record-scan/record-scan.http.controller';
import { RecordScanBatchHandler } from './commands/record-scan-batch/record-scan-batch.handler';
import { RecordScanBatchHttpController } from './commands/record-scan-batch/record-scan-batch.http.controller';
import { ResolveViolationHandler } from './commands/resolve-violation/resolve-violation.handler';
import { ResolveViolationHttpController } from './commands/resolve-violation/resolve-violation.http.controller';
import { ListLotsHandler } from './queries/list-lots/list-lots.handler';
import { ListRefusalsHandler } from './queries/list-refusals/list-refusals.handler';
import { ListRefusalsHttpController } from './queries/list-refusals/list-refusals.http.controller';
import { ListScansHandler } from './queries/list-scans/list-scans.handler';
import { ListScansHttpController } from './queries/list-scans/list-scans.http.controller';
import { ListViolationsHandler } from './queries/list-violations/list-violations.handler';
import { ListViolationsHttpController } from './queries/list-violations/list-violations.http.controller';
import { TraceLotHandler } from './queries/trace-lot/trace-lot.handler';
import { RegulatorActionsHttpController } from './regulator-actions.http.controller';
import { LotCommands } from './lot-commands';
import { LotFamilyReads } from './lot-family.reads';
import { LotQueriesHttpController } from './lot-queries.http.controller';
import { LotReadRepository } from './lot-read.repository';
import { ScanRefusals } from './scan-refusals';
import { GetLotHistoryHandler } from './queries/get-lot-history/get-lot-history.handler';
import { GetLotHandler } from './queries/get-lot/get-lot.handler';
import { GetTemperaturesHandler } from './queries/get-temperatures/get-temperatures.handler';
import { TemperatureSeries } from './queries/get-temperatures/temperature-series';
import { GetLotQrCodeHandler } from './queries/get-lot-qr-code/get-lot-qr-code.handler';
import { GetLotQrCodeHttpController } from './queries/get-lot-qr-code/get-lot-qr-code.http.controller';
import { GetSaleEligibilityHandler } from './queries/get-sale-eligibility/get-sale-eligibility.handler';
import { SaleEligibilityAnswers } from './queries/get-sale-eligibility/sale-eligibility.answers';

@Module({
  imports: [FacilitiesModule, CriticalTrackingEventsModule],
  controllers: [
    RegisterLotHttpController,
    AttachDocumentHttpController,
    SplitLotHttpController,
    RecordTemperaturesHttpController,
    MergeLotsHttpController,
    RegulatorActionsHttpController,
    ResolveViolationHttpController,
    LotQueriesHttpController,
    ListViolationsHttpController,
    ListScansHttpController,
    ListRefusalsHttpController,
    ExportTraceCsvHttpController,
    GetLotQrCodeHttpController,
    RecordScanBatchHttpController,
    RecordScanHttpController,
  ],
  providers: [
    LotCommands,
    ScanRefusals,
    LotFamilyReads,
    LotReadRepository,
    SaleEligibilityAnswers,
    SplitLotHandler,
    RecordTemperaturesHandler,
    MergeLotsHandler,
    RecallLotHandler,
    DestroyLotHandler,
    ResolveViolationHandler,
    ListLotsHandler,
    ListViolationsHandler,
    ListScansHandler,
    ListRefusalsHandler,
    TraceLotHandler,
    RegisterLotHandler,
    AttachDocumentHandler,
    LockLotHandler,
    UnlockLotHandler,
    GetLotHandler,
    GetTemperaturesHandler,
    TemperatureSeries,
    GetLotHistoryHandler,
    GetSaleEligibilityHandler,
    ExportTraceCsvHandler,
    GetLotQrCodeHandler,
    RecordScanBatchHandler,
  ],
  exports: [LotCommands, TemperatureSeries],
})
export class LotsModule {}
