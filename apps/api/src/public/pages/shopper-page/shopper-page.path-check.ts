import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderNoticePage } from './shopper-page.html';
import { requestedLanguage, sendPage } from './shopper-page.response';

/**
 * A code on a pack that cannot even be decoded (a torn or mis-printed label:
 * `/t/BAD%E0%A4`) is refused by the router before any controller, so the
 * page's own error filter never sees it. Caught before routing (configureApp):
 * the shopper gets the same friendly page as for any bad code, never JSON.
 * True when it answered.
 */
export const shopperPageBadPath = (path: string, req: FastifyRequest, reply: FastifyReply, timeZoneOffset: string): boolean => {
  if (!path.startsWith('/t/')) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    const language = requestedLanguage(req);
    sendPage(reply, 400, language, renderNoticePage('badRequest', { language, timeZoneOffset }, null));
    return true;
  }
};
