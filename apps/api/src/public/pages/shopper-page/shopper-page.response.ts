import type { Request, Response } from 'express';
import { pageLanguage, PageLanguage } from './shopper-page.language';
import { PAGE_CSP } from './shopper-page.style';

/** The language a request asked for: `?lang=`, else Accept-Language (see pageLanguage). */
export const requestedLanguage = (req: Request): PageLanguage => pageLanguage(req.query.lang, req.headers['accept-language']);

/** Sends a rendered page with the headers every answer of the page route carries, errors included. */
export const sendPage = (res: Response, status: number, language: PageLanguage, page: string): void => {
  res
    .status(status)
    .setHeader('Content-Security-Policy', PAGE_CSP)
    .setHeader('Content-Language', language === 'zh' ? 'zh-CN' : 'en')
    // The same address answers in either language: a cache must key on the header it was chosen by.
    .setHeader('Vary', 'Accept-Language')
    .type('html')
    .send(page);
};
