import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../access/route-policy';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { GetPublicLotQuery } from '../../queries/get-public-lot/get-public-lot.query';
import { ShopperPageExceptionFilter } from './shopper-page.filter';
import { renderLotPage } from './shopper-page.html';
import { requestedLanguage, sendPage } from './shopper-page.response';
import { SHOPPER_PAGE_ROUTE } from './shopper-page.url';

/**
 * The page behind the code on the pack: `GET /t/:traceCode`, server-rendered
 * HTML from the shopper's view (GetPublicLotQuery, the very query of
 * GET /api/public/lots/:traceCode, so the page can show nothing the view does
 * not), readable with no script. Not in the OpenAPI document: it is a page for
 * people, not part of the JSON API (the README documents it).
 */
@ApiExcludeController()
@Controller(SHOPPER_PAGE_ROUTE)
@UseFilters(ShopperPageExceptionFilter)
export class ShopperPageHttpController {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** No token, counted against the same per-address limit as the JSON view. */
  @Get(':traceCode')
  @Public({ rateLimited: true })
  async page(@Param('traceCode') traceCode: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const view = await this.queryBus.execute(new GetPublicLotQuery(traceCode, undefined));
    const language = requestedLanguage(req);
    sendPage(res, 200, language, renderLotPage(view, { language, timeZoneOffset: this.config.epcisTimeZoneOffset }));
  }
}
