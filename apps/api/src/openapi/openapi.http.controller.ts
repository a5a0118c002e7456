import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../access/route-policy';
import { OpenApiDocument } from './openapi.document';

@ApiTags('docs')
@Controller()
export class OpenApiHttpController {
  constructor(@Inject(OpenApiDocument) private readonly document: OpenApiDocument) {}

  /** Public: a client generator needs it before it holds a key, and it tells nothing a caller could not try. */
  @Get('openapi.json')
  @Public({ rateLimited: false })
  @ApiOperation({ summary: 'This OpenAPI document', description: 'OpenAPI 3 JSON describing every route, its schemas, error codes and security.' })
  @ApiOkResponse({ description: 'The OpenAPI document', schema: { type: 'object', additionalProperties: true } })
  openApi() {
    return this.document.get();
  }
}
