import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/route-policy';
import { ApiError } from '../common/http/api-errors';
import { ApiErrors } from '../common/http/api-error.response';
import { sendFile } from '../common/http/files';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { assetType, CONSOLE_CSP, consoleDir, withTimeZoneOffset } from './console-files';

/** Every file of the console carries the console's own policy. */
const send = (res: FastifyReply, dir: string, file: string, type: string): Promise<void> => sendFile(res.header('Content-Security-Policy', CONSOLE_CSP), dir, file, type);

/**
 * The regulator's console (apps/console): a static page and its scripts,
 * served from the build output. No credential to load it: the page asks for
 * a REGULATOR token and sends it on each API call it makes, the same public
 * API a script would call.
 */
@ApiTags('pages')
@Controller('console')
export class ConsoleHttpController {
  private readonly dir = consoleDir();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public({ rateLimited: false })
  @ApiOperation({ summary: "The regulator's console", description: 'An HTML page (apps/console, built by `npm run build`) that signs in with a REGULATOR token and reads the API; its times are shown at EPCIS_TIME_ZONE_OFFSET, written into the page as a meta tag.' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiErrors({ 404: ['ROUTE_NOT_FOUND'] })
  async page(@Res() res: FastifyReply): Promise<void> {
    let html: string;
    try {
      html = await readFile(join(this.dir, 'index.html'), 'utf8');
    } catch (e) {
      // Not built: say how to build it rather than a bare 404.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError(404, 'ROUTE_NOT_FOUND', `the console is not built (${join(this.dir, 'index.html')} is missing): run npm run build`);
      throw e;
    }
    await res.header('Content-Security-Policy', CONSOLE_CSP).type('text/html; charset=utf-8').send(withTimeZoneOffset(html, this.config.epcisTimeZoneOffset));
  }

  @Get(':file')
  @Public({ rateLimited: false })
  @ApiOperation({ summary: "One of the console's files", description: 'Its scripts (ES modules), the graph library (cytoscape) and its stylesheet.' })
  @ApiParam({ name: 'file', example: 'main.js' })
  @ApiProduces('text/javascript', 'text/css')
  @ApiOkResponse({ description: 'The file', content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } } })
  @ApiErrors({ 404: ['ROUTE_NOT_FOUND'] })
  async asset(@Param('file') file: string, @Res() res: FastifyReply): Promise<void> {
    const type = assetType(file);
    if (!type) throw new ApiError(404, 'ROUTE_NOT_FOUND', 'no such route');
    await send(res, this.dir, file, type);
  }
}
