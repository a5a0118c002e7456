import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where `npm run build` puts the console (apps/console/build.js):
 * <repository or image root>/dist/console, found from this file whether it
 * runs compiled (dist/apps/api/src/console) or from source (tests).
 */
export const consoleDir = (from = __dirname): string => {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return join(from, 'console-not-found');
    dir = up;
  }
  return join(dir, 'dist', 'console');
};

/** Only these kinds of file, named plainly (no path, no dot first): the page's scripts and stylesheet. */
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*(\.min)?\.(js|css)$/;

export const assetType = (file: string): string | null => (ASSET_NAME.test(file) ? TYPES[file.slice(file.lastIndexOf('.') + 1)] : null);

/**
 * The console's own policy: its scripts and stylesheet from this origin only
 * (no inline script, no CDN), API calls to this origin, no framing, no form
 * posting anywhere else.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const OFFSET_META = /<meta name="coldtrace-time-zone-offset" content="[^"]*">/;

/**
 * The page with the offset its times are shown in (EPCIS_TIME_ZONE_OFFSET)
 * in its meta tag: the console reads it there, no inline script needed.
 */
export const withTimeZoneOffset = (html: string, offset: string): string =>
  html.replace(OFFSET_META, `<meta name="coldtrace-time-zone-offset" content="${offset}">`);
