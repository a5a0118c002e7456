import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiExceptionFilter } from '../../common/http/api-exception.filter';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/app-config';
import { ShopperPageExceptionFilter } from '../pages/shopper-page/shopper-page.filter';
import { wantsLinkset } from './resolver.negotiation';

/**
 * A failure answers in the form asked for: a phone that scanned the code
 * gets the shopper's page for it (no such code, too many look-ups), a
 * program that asked for the linkset gets the API's JSON error.
 */
@Catch()
export class ResolverExceptionFilter implements ExceptionFilter {
  private readonly page: ShopperPageExceptionFilter;
  private readonly json = new ApiExceptionFilter();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.page = new ShopperPageExceptionFilter(config);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    if (wantsLinkset(req)) this.json.send(host.switchToHttp().getResponse<FastifyReply>(), exception);
    else this.page.catch(exception, host);
  }
}
