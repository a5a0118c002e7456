import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { LotsModule } from '../lots/lots.module';
import { ScansModule } from '../scans/scans.module';

/** GS1 EPCIS 2.0: the query interface (export) and the capture interface (scans in). */
@Module({
  imports: [FacilitiesModule, LotsModule, ScansModule],
  controllers: [],
  providers: [],
})
export class EpcisModule {}
