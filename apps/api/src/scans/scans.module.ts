import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { LotsModule } from '../lots/lots.module';
import { RecordScanHandler } from './commands/record-scan/record-scan.handler';
import { RecordScanHttpController } from './commands/record-scan/record-scan.http.controller';
import { RecordScanBatchHandler } from './commands/record-scan-batch/record-scan-batch.handler';
import { RecordScanBatchHttpController } from './commands/record-scan-batch/record-scan-batch.http.controller';

@Module({
  imports: [FacilitiesModule, LotsModule],
  controllers: [RecordScanBatchHttpController, RecordScanHttpController],
  providers: [RecordScanHandler, RecordScanBatchHandler],
})
export class ScansModule {}
