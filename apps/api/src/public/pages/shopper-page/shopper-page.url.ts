import { digitalLinkPath } from '@app/domain';

/** Where the shopper's page lives, outside /api (configureApp keeps it out of the global prefix). */
export const SHOPPER_PAGE_ROUTE = 't';

/**
 * The page's absolute address, as the code on the pack carries it. The trace
 * code is one path segment whatever it holds (a `/`, a space, CJK).
 */
export const shopperPageUrl = (publicBaseUrl: string, traceCode: string): string => `${publicBaseUrl}/${SHOPPER_PAGE_ROUTE}/${encodeURIComponent(traceCode)}`;

/**
 * What the code on the pack carries: the lot's GS1 Digital Link on our own
 * resolver (`<base>/01/<gtin>/10/<traceCode>`, which sends a phone on to the
 * page and a GS1 tool to its links) when the lot has a GTIN, else the page.
 */
export const packCodeUrl = (publicBaseUrl: string, traceCode: string, gtin: string | null | undefined): string => {
  const path = digitalLinkPath(gtin, traceCode);
  return path === null ? shopperPageUrl(publicBaseUrl, traceCode) : `${publicBaseUrl}${path}`;
};
