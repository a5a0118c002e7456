import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../../access/route-policy';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { TemperatureSeries } from '../../../lots/queries/get-temperatures/temperature-series';
import { GetPublicLotQuery } from '../../queries/get-public-lot/get-public-lot.query';
import { ShopperPageExceptionFilter } from './shopper-page.filter';
import { PAGE_CHART_RESOLUTION, renderLotPage } from './shopper-page.html';
import { requestedLanguage, sendPage } from './shopper-page.response';
import { SHOPPER_PAGE_ROUTE } from './shopper-page.url';

/**
 * The page behind the code on the pack: `GET /t/:traceCode`, server-rendered
 * HTML from the shopper's view (GetPublicLotQuery, the very query of
 * GET /api/public/lots/:traceCode, so the page can show nothing the view does
 * not), readable with no script. Its failures are pages too (see
 * ShopperPageExceptionFilter), and the OpenAPI document says so: text/html,
 * not the API's error body.
 */
@ApiTags('pages')
@Controller(SHOPPER_PAGE_ROUTE)
@UseFilters(ShopperPageExceptionFilter)
export class ShopperPageHttpController {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TemperatureSeries) private readonly temperatures: TemperatureSeries,
  ) {}

  /** No token, counted against the same per-address limit as the JSON view. */
  @Get(':traceCode')
  @ApiOperation({
    summary: "The shopper's page of a lot",
    description:
      'What the code on a pack opens: an HTML page (no script) with the verdict first, the product, origin countries, the path, the cold chain (a line and a chart of the temperature log, when there is one) and the papers, in Chinese or English. Besides the cold chain, the same data as GET /api/public/lots/:traceCode. Every failure is an HTML page as well.',
  })
  @ApiQuery({ name: 'lang', required: false, enum: ['zh', 'en'], description: 'Overrides Accept-Language' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: "The lot's page", content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 400, description: 'A page: the link is not valid', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 404, description: 'A page: no lot has this code', content: { 'text/html': { schema: { type: 'string' } } } })
  // Above @Public, so it replaces the JSON 429 that @Public documents for the API's rate-limited routes.
  @ApiResponse({ status: 429, description: 'A page: too many look-ups from this address (Retry-After)', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 503, description: 'A page: not available right now', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 500, description: 'A page: something went wrong on our side (logged)', content: { 'text/html': { schema: { type: 'string' } } } })
  @Public({ rateLimited: true })
  async page(@Param('traceCode') traceCode: string, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const view = await this.queryBus.execute(new GetPublicLotQuery(traceCode, undefined));
    // The cold chain from the log itself (no access check: the page shows a summary and a chart, nothing private).
    const temperatures = await this.temperatures.of(view.traceCode, view.product.category, { resolution: PAGE_CHART_RESOLUTION });
    const language = requestedLanguage(req);
    sendPage(res, 200, language, renderLotPage(view, { language, timeZoneOffset: this.config.epcisTimeZoneOffset }, temperatures));
  }
}
