/**
 * The GS1 resolver lives where GS1 tools look for it, outside /api:
 * Digital Links under `/01/...` (GTIN) and its description at
 * `/.well-known/gs1resolver` (configureApp keeps both out of the global prefix).
 */
export const DIGITAL_LINK_ROUTE = '01';
export const RESOLVER_DESCRIPTION_PATH = '/.well-known/gs1resolver';
export const RESOLVER_PATHS = [`/${DIGITAL_LINK_ROUTE}/{*rest}`, RESOLVER_DESCRIPTION_PATH];
export const isResolverPath = (path: string): boolean => path.startsWith(`/${DIGITAL_LINK_ROUTE}/`) || path === RESOLVER_DESCRIPTION_PATH;

/** The linkset's media type (RFC 9264). */
export const LINKSET_TYPE = 'application/linkset+json';
