import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../access/route-policy';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/app-config';
import { GS1_VOC } from './digital-link.linkset';
import { RESOLVER_DESCRIPTION_PATH } from './resolver.routes';

/** What GS1's resolver standard asks a resolver to say about itself, at the well-known place. */
export interface ResolverDescription {
  readonly name: string;
  readonly resolverRoot: string;
  readonly supportedPrimaryKeys: readonly string[];
  readonly supportedLinkType: readonly { readonly namespace: string; readonly prefix: string }[];
  readonly linkTypeDefaultCanBeLinkset: boolean;
}

export const resolverDescription = (publicBaseUrl: string): ResolverDescription => ({
  name: 'Coldtrace GS1 Digital Link resolver',
  resolverRoot: publicBaseUrl,
  // GTINs (AI 01), with the batch/lot (AI 10): a lot's code.
  supportedPrimaryKeys: ['01'],
  supportedLinkType: [{ namespace: GS1_VOC, prefix: 'gs1:' }],
  linkTypeDefaultCanBeLinkset: false,
});

@ApiTags('pages')
@Controller(RESOLVER_DESCRIPTION_PATH.slice(1, RESOLVER_DESCRIPTION_PATH.lastIndexOf('/')))
export class ResolverDescriptionHttpController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get(RESOLVER_DESCRIPTION_PATH.slice(RESOLVER_DESCRIPTION_PATH.lastIndexOf('/') + 1))
  @ApiOperation({ summary: 'The GS1 resolver description file', description: 'Where the resolver lives, the keys (GTIN) and link types (GS1 Web vocabulary) it answers for; GS1 resolver standard.' })
  @ApiOkResponse({
    description: 'The description (GS1 resolver description file)',
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        resolverRoot: { type: 'string', format: 'uri' },
        supportedPrimaryKeys: { type: 'array', items: { type: 'string' } },
        supportedLinkType: { type: 'array', items: { type: 'object', properties: { namespace: { type: 'string' }, prefix: { type: 'string' } } } },
        linkTypeDefaultCanBeLinkset: { type: 'boolean' },
      },
    },
  })
  @Public({ rateLimited: false })
  describe(@Res({ passthrough: true }) res: FastifyReply): ResolverDescription {
    res.header('Access-Control-Allow-Origin', '*');
    return resolverDescription(this.config.publicBaseUrl);
  }
}
