import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageLanguage, PageLanguage } from './shopper-page.language';
import { PAGE_CSP } from './shopper-page.style';

/** The language a request asked for: `?lang=`, else Accept-Language (see pageLanguage). */
export const requestedLanguage = (req: FastifyRequest): PageLanguage => pageLanguage((req.query as Record<string, unknown> | null)?.lang, req.headers['accept-language']);

/** Sends a rendered page with the headers every answer of the page route carries, errors included. */
export const sendPage = (res: FastifyReply, status: number, language: PageLanguage, page: string): void => {
  res
    .status(status)
    .header('Content-Security-Policy', PAGE_CSP)
    .header('Content-Language', language === 'zh' ? 'zh-CN' : 'en')
    // The same address answers in either language: a cache must key on the header it was chosen by.
    .header('Vary', 'Accept-Language')
    .type('text/html; charset=utf-8')
    .send(page);
};
