import type { NextFunction, Request, Response } from 'express';
import { renderNoticePage } from './shopper-page.html';
import { requestedLanguage, sendPage } from './shopper-page.response';

/**
 * A code on a pack that cannot even be decoded (a torn or mis-printed label:
 * `/t/BAD%E0%A4`) is refused by the router before any controller, so the
 * page's own error filter never sees it. Caught here, before routing: the
 * shopper gets the same friendly page as for any bad code, never JSON.
 */
export const shopperPagePathCheck =
  (timeZoneOffset: string) =>
  (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith('/t/')) return next();
    try {
      decodeURIComponent(req.path);
    } catch {
      const language = requestedLanguage(req);
      sendPage(res, 400, language, renderNoticePage('badRequest', { language, timeZoneOffset }, null));
      return;
    }
    next();
  };
