import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { digitalLinkPath, gtin14, notFound } from '@app/domain';
import { Public } from '../../access/route-policy';
import { ApiErrors } from '../../common/http/api-error.response';
import { validationFailed } from '../../common/http/api-errors';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/app-config';
import { GetPublicLotQuery, PublicLotView } from '../queries/get-public-lot/get-public-lot.query';
import { lotLinks, lotLinkset, requestedLinkType } from './digital-link.linkset';
import { wantsLinkset } from './resolver.negotiation';
import { ResolverExceptionFilter } from './resolver.filter';
import { DIGITAL_LINK_ROUTE, LINKSET_TYPE } from './resolver.routes';

const LINKSET_SCHEMA = {
  type: 'object',
  required: ['linkset'],
  properties: {
    linkset: {
      type: 'array',
      items: {
        type: 'object',
        required: ['anchor'],
        properties: { anchor: { type: 'string', format: 'uri' } },
        additionalProperties: {
          type: 'array',
          items: { type: 'object', required: ['href'], properties: { href: { type: 'string', format: 'uri' }, type: { type: 'string' }, title: { type: 'string' }, hreflang: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
  },
};

/**
 * A GS1-conformant resolver for the lots that carry a GTIN: the code on the
 * pack is `PUBLIC_BASE_URL/01/<gtin>/10/<traceCode>`, which any GS1 tool
 * understands. Everything it says comes from the shopper's view (the same
 * query, the same per-address budget), so it shows nothing that view does
 * not: the EPCIS links name routes that need a key.
 */
@ApiTags('pages')
@Controller(DIGITAL_LINK_ROUTE)
@UseFilters(ResolverExceptionFilter)
export class DigitalLinkResolverHttpController {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':gtin/10/:lot')
  @ApiOperation({
    summary: "GS1 Digital Link resolver for a lot's code (GTIN + batch/lot)",
    description:
      "The batch/lot is the trace code. A browser (or no preference) is sent on (307) to the shopper's page; `Accept: application/linkset+json` (or `?linkType=linkset`) answers the lot's links as an RFC 9264 linkset: gs1:defaultLink and gs1:pip (the shopper's page), gs1:epcis (the lot's EPCIS events), gs1:certificationInfo (its certificates as EPCIS inspecting events), gs1:recallStatus (the shopper's view, which says whether it is recalled). `?linkType=gs1:<type>` sends on to that one link (a type it has not: the default link). An unknown lot, a lot without that GTIN: 404, a page for a browser, JSON for a program. No key; rate limited with the shopper's view.",
  })
  @ApiQuery({ name: 'linkType', required: false, description: '`gs1:pip`, `gs1:epcis`, `gs1:certificationInfo`, `gs1:recallStatus`, `gs1:defaultLink` (or their https://gs1.org/voc/ URIs), or `linkset`' })
  @ApiProduces(LINKSET_TYPE)
  @ApiResponse({ status: 200, description: "The lot's linkset (RFC 9264)", content: { [LINKSET_TYPE]: { schema: LINKSET_SCHEMA } } })
  @ApiResponse({ status: 307, description: 'Sent on to the link asked for (the shopper\'s page by default)', headers: { Location: { schema: { type: 'string' } } } })
  // As JSON to a program; a browser gets the shopper's page for it (no such code, too many look-ups).
  @ApiErrors({ 400: ['VALIDATION_FAILED'], 404: ['LOT_NOT_FOUND'] })
  @Public({ rateLimited: true })
  async resolve(@Param('gtin') rawGtin: string, @Param('lot') traceCode: string, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const gtin = gtin14(rawGtin);
    if (gtin === null) throw validationFailed('not a GTIN: 8, 12, 13 or 14 digits ending in a valid GS1 check digit', { errors: [{ field: 'gtin', messages: ['not a valid GTIN'] }] });
    const view: PublicLotView = await this.queryBus.execute(new GetPublicLotQuery(traceCode, undefined));
    // A code and a GTIN that do not belong together name no lot, exactly as an unknown code.
    const path = view.product.gtin === gtin ? digitalLinkPath(gtin, view.traceCode) : null;
    if (path === null) throw notFound('LOT_NOT_FOUND', `no lot ${traceCode} of GTIN ${gtin} is known`, { traceCode });
    const links = { publicBaseUrl: this.config.publicBaseUrl, anchor: `${this.config.publicBaseUrl}${path}`, traceCode: view.traceCode, recalled: view.status === 'RECALLED' };
    // Public data, no credential: any web page may read it (GS1 resolvers answer CORS).
    res.header('Access-Control-Allow-Origin', '*');
    res.header('Vary', 'Accept');
    res.header('Link', `<${links.anchor}>; rel="linkset"; type="${LINKSET_TYPE}"`);
    if (wantsLinkset(req)) {
      res.status(200).type(LINKSET_TYPE).send(lotLinkset(links));
      return;
    }
    const linkType = (req.query as Record<string, unknown> | null)?.linkType;
    const asked = typeof linkType === 'string' ? requestedLinkType(linkType) : null;
    const target = lotLinks(links)[asked === null || asked === 'linkset' ? 'defaultLink' : asked];
    res.status(307).header('Location', target.href).send();
  }
}


