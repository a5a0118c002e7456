import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { METRICS_UNAUTHENTICATED, metricsTokenAccepted } from '@app/platform';
import { Public } from '../access/route-policy';
import { unauthenticated } from '../common/http/api-errors';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ApiMetrics } from './api-metrics';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-error.response';

/**
 * GET /metrics in Prometheus text, outside /api (see configureApp). No API
 * key: a scraper is no user of the API; METRICS_TOKEN, when set, guards it.
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsHttpController {
  constructor(
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public({ rateLimited: false })
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'Outside /api, in Prometheus text format. No API key; when METRICS_TOKEN is set, `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors({ 401: ['UNAUTHENTICATED'] })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    if (!metricsTokenAccepted(this.config.metricsToken, authorization)) throw unauthenticated(METRICS_UNAUTHENTICATED.message);
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
