import { Global, Module } from '@nestjs/common';
import { COMMAND_OBSERVER } from '../common/commands/command-executor';
import { ApiMetrics } from './api-metrics';
import { MetricsHttpController } from './metrics.http.controller';

/** One ApiMetrics per app; global, so the command executor and the access guard report to it. */
@Global()
@Module({
  providers: [ApiMetrics, { provide: COMMAND_OBSERVER, useExisting: ApiMetrics }],
  controllers: [MetricsHttpController],
  exports: [ApiMetrics, COMMAND_OBSERVER],
})
export class MetricsModule {}
