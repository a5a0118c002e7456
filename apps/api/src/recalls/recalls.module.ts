import { Module } from '@nestjs/common';
import { CriticalTrackingEventsModule } from '../lots/critical-tracking-events/critical-tracking-events.module';
import { ExportRecallCsvHandler } from './queries/export-recall-csv/export-recall-csv.handler';
import { ExportRecallCsvHttpController } from './queries/export-recall-csv/export-recall-csv.http.controller';
import { GetRecallHandler } from './queries/get-recall/get-recall.handler';
import { GetRecallHttpController } from './queries/get-recall/get-recall.http.controller';
import { ListRecallsHandler } from './queries/list-recalls/list-recalls.handler';
import { ListRecallsHttpController } from './queries/list-recalls/list-recalls.http.controller';

@Module({
  imports: [CriticalTrackingEventsModule],
  controllers: [ListRecallsHttpController, GetRecallHttpController, ExportRecallCsvHttpController],
  providers: [ListRecallsHandler, GetRecallHandler, ExportRecallCsvHandler],
})
export class RecallsModule {}
