/** Where the shopper's page lives, outside /api (configureApp keeps it out of the global prefix). */
export const SHOPPER_PAGE_ROUTE = 't';

/**
 * The page's absolute address, as the code on the pack carries it. The trace
 * code is one path segment whatever it holds (a `/`, a space, CJK).
 */
export const shopperPageUrl = (publicBaseUrl: string, traceCode: string): string => `${publicBaseUrl}/${SHOPPER_PAGE_ROUTE}/${encodeURIComponent(traceCode)}`;
