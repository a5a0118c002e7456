import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { LotsModule } from '../lots/lots.module';
import { RecordScanHandler } from './commands/record-scan/record-scan.handler';
import { RecordScanHttpController } from './commands/record-scan/record-scan.http.controller';

@Module({
  imports: [FacilitiesModule, LotsModule],
  controllers: [RecordScanHttpController],
  providers: [RecordScanHandler],
})
export class ScansModule {}
