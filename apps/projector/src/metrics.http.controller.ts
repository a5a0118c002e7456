import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { METRICS_UNAUTHENTICATED, metricsTokenAccepted } from '@app/platform';
import { ProjectorConfig } from './projector-config';
import { ProjectorMetrics } from './projector-metrics';

export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');

/** GET /metrics in Prometheus text; METRICS_TOKEN, when set, guards it (as on the api). */
@Controller('metrics')
export class ProjectorMetricsHttpController {
  constructor(
    @Inject(ProjectorMetrics) private readonly metrics: ProjectorMetrics,
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    if (!metricsTokenAccepted(this.config.metricsToken, authorization)) {
      res.header('WWW-Authenticate', 'Bearer realm="coldtrace"');
      throw new UnauthorizedException(METRICS_UNAUTHENTICATED);
    }
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
