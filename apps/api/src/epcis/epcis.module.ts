import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { LotsModule } from '../lots/lots.module';
import { CaptureJobRepository } from './capture/capture-job.repository';
import { CaptureJobRunner } from './capture/capture-job.runner';
import { CaptureRecorder } from './capture/capture-recorder';
import { CaptureEpcisHandler } from './commands/capture-epcis/capture-epcis.handler';
import { CaptureEpcisHttpController } from './commands/capture-epcis/capture-epcis.http.controller';
import { GetCaptureJobHandler } from './queries/get-capture-job/get-capture-job.handler';
import { GetCaptureJobHttpController } from './queries/get-capture-job/get-capture-job.http.controller';
import { EpcisEventReader } from './epcis-event.reader';
import { GetEpcisEventsHandler } from './queries/get-epcis-events/get-epcis-events.handler';
import { GetEpcisEventsHttpController } from './queries/get-epcis-events/get-epcis-events.http.controller';
import { SubscribeToQueryHandler } from './commands/subscribe-to-query/subscribe-to-query.handler';
import { SubscribeToQueryHttpController } from './commands/subscribe-to-query/subscribe-to-query.http.controller';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';

/** GS1 EPCIS 2.0: the query interface (export, and streaming subscriptions to it) and the capture interface (a lot's whole life in). */
@Module({
  imports: [FacilitiesModule, LotsModule, SubscriptionsModule],
  controllers: [CaptureEpcisHttpController, GetCaptureJobHttpController, GetEpcisEventsHttpController, SubscribeToQueryHttpController],
  providers: [CaptureJobRepository, CaptureRecorder, CaptureJobRunner, CaptureEpcisHandler, GetCaptureJobHandler, EpcisEventReader, GetEpcisEventsHandler, SubscribeToQueryHandler],
})
export class EpcisModule {}
