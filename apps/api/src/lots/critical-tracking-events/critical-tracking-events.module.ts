import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../../facilities/facilities.module';
import { CriticalTrackingEventsReader } from './critical-tracking-events.reader';

/** The CTE reader, shared by the trace and recall spreadsheets. */
@Module({ imports: [FacilitiesModule], providers: [CriticalTrackingEventsReader], exports: [CriticalTrackingEventsReader] })
export class CriticalTrackingEventsModule {}
