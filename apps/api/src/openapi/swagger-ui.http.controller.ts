import { createRequire } from 'node:module';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { sendFile } from '../common/http/files';
import { Public } from '../access/route-policy';
import { ApiError } from '../common/http/api-errors';
import { ApiErrors } from '../common/http/api-error.response';

/** Where the page and its assets live; configureApp relaxes the CSP under it (and only there) so the page may load them. */
export const DOCS_PATH = '/api/docs';

/**
 * Swagger UI's own files, served from the swagger-ui-dist package that
 * @nestjs/swagger depends on (resolved through it, so it is the version it
 * was built with): self-hosted, no CDN, nothing else from the package.
 */
const swaggerUiDist = (): string =>
  (createRequire(require.resolve('@nestjs/swagger'))('swagger-ui-dist/absolute-path.js') as () => string)();

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** The page: no inline script (the CSP allows scripts from this origin only). */
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>Coldtrace API</title>
  <link rel="stylesheet" type="text/css" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-init.js"></script>
</body>
</html>
`;

/** validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io (and the CSP would block it). */
const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
`;

/** Swagger UI at /api/docs, reading /api/openapi.json. Public, like the document it shows. */
@ApiTags('docs')
@Controller('docs')
export class SwaggerUiHttpController {
  @Get()
  @Public({ rateLimited: false })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Swagger UI', description: 'An HTML page showing /api/openapi.json; its scripts and styles come from /api/docs/<file>.' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The Swagger UI page', content: { 'text/html': { schema: { type: 'string' } } } })
  page(): string {
    return PAGE;
  }

  @Get(':file')
  @Public({ rateLimited: false })
  @ApiOperation({ summary: "One of Swagger UI's files", description: 'The scripts, stylesheet and icons the page loads, and its start-up script.' })
  @ApiParam({ name: 'file', enum: ['swagger-ui-init.js', ...Object.keys(ASSETS)] })
  @ApiProduces('application/javascript', 'text/css', 'image/png')
  @ApiOkResponse({ description: 'The file', content: { 'application/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } }, 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors({ 404: ['ROUTE_NOT_FOUND'] })
  async asset(@Param('file') file: string, @Res() res: FastifyReply): Promise<void> {
    if (file === 'swagger-ui-init.js') {
      res.type('application/javascript').send(INIT);
      return;
    }
    const type = ASSETS[file];
    if (!type) throw new ApiError(404, 'ROUTE_NOT_FOUND', 'no such route');
    await sendFile(res, swaggerUiDist(), file, type);
  }
}
