import { Controller, Get, Headers, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { METRICS_UNAUTHENTICATED, metricsTokenAccepted } from '@app/platform';
import { Public } from '../access/route-policy';
import { clientAddress, FailedAuthLimit } from '../access/failed-auth-limit';
import { rateLimited, unauthenticated } from '../common/http/api-errors';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ApiMetrics } from './api-metrics';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-error.response';

/** Who METRICS_TOKEN proves, as FailedAuthLimit remembers keys that worked. */
const METRICS_SCRAPER = 'metrics-token';

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
    @Inject(FailedAuthLimit) private readonly failedAuth: FailedAuthLimit,
  ) {}

  @Get()
  @Public({ rateLimited: false })
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'Outside /api, in Prometheus text format. No API key; when METRICS_TOKEN is set, `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors({ 401: ['UNAUTHENTICATED'], 429: ['RATE_LIMITED'] })
  async scrape(@Headers('authorization') authorization: string | undefined, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    const accepted = metricsTokenAccepted(this.config.metricsToken, authorization);
    // A wrong METRICS_TOKEN is a failed authentication like a wrong key (the same budget per address); no header guesses nothing.
    if (this.config.metricsToken !== null && authorization !== undefined) {
      const retryAfter = this.failedAuth.judge(clientAddress(req), accepted ? METRICS_SCRAPER : null);
      if (retryAfter !== null) throw rateLimited(retryAfter, 'failed authentications');
    }
    if (!accepted) throw unauthenticated(METRICS_UNAUTHENTICATED.message);
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
