import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../../../common/http/api-exception.filter';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { NoticeKind, renderNoticePage } from './shopper-page.html';
import { requestedLanguage, sendPage } from './shopper-page.response';

/** The notice a status gets; the status itself comes from the one mapping every route shares (toErrorResponse). */
const noticeFor = (status: number): NoticeKind => {
  if (status === 404) return 'notFound';
  if (status === 429) return 'rateLimited';
  if (status === 503) return 'unavailable';
  return status < 500 ? 'badRequest' : 'failed';
};

/**
 * The shopper's page answers every failure with a page in the shopper's
 * language (no such code, too many look-ups, a failure on our side), never
 * the API's JSON error or a stack. Scoped to the page's controller: it also
 * catches the rate limiter's refusal, which the guard throws.
 */
@Catch()
export class ShopperPageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ShopperPage');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const res = host.switchToHttp().getResponse<FastifyReply>();
    const { status, headers } = toErrorResponse(exception);
    // Our own faults are logged as the API's are; the shopper only learns that it failed.
    if (status >= 500 && status !== 503) {
      const err = exception as Error;
      this.logger.error(err?.message ?? String(exception), err?.stack);
    }
    if (headers?.['Retry-After']) res.header('Retry-After', headers['Retry-After']);
    const language = requestedLanguage(req);
    const traceCode = typeof (req.params as Record<string, unknown> | null)?.traceCode === 'string' ? (req.params as Record<string, string>).traceCode : null;
    const page = renderNoticePage(noticeFor(status), { language, timeZoneOffset: this.config.epcisTimeZoneOffset }, traceCode);
    sendPage(res, status, language, page);
  }
}
