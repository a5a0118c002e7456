import { Module } from '@nestjs/common';
import { GetDashboardHandler } from './queries/get-dashboard/get-dashboard.handler';
import { GetDashboardHttpController } from './queries/get-dashboard/get-dashboard.http.controller';

/** The regulator's dashboard: counts of the lists of the lots, recalls and scans modules. */
@Module({
  controllers: [GetDashboardHttpController],
  providers: [GetDashboardHandler],
})
export class DashboardModule {}
