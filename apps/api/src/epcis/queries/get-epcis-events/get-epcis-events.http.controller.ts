import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { preferredType } from '../../../common/http/accept';
import { Allow } from '../../../access/route-policy';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { pageRequest } from '../../../common/queries/page';
import type { EventKey } from '../../epcis-event.reader';
import { ALWAYS_DIGITAL_LINK, EPC_FORMAT_HEADER } from '../../epcis-digital-link';
import { epcisFiltersOf } from '../../epcis-filters';
import type { EpcisQueryDocument } from '../../epcis-query-document';
import { GetEpcisEventsQuery } from './get-epcis-events.query';
import { GetEpcisEventsRequestDto } from './get-epcis-events.request.dto';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/api-error.response';
import { EpcisQueryDocumentResponse } from './get-epcis-events.response';

const isEventKey = (v: unknown): v is EventKey => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const { x, p, ...rest } = v as Record<string, unknown>;
  return Object.keys(rest).length === 0 && typeof x === 'string' && /^\d{1,20}$/.test(x) && Number.isSafeInteger(p) && (p as number) >= 0;
};

/** JSON-LD unless the caller asks for plain JSON only (EPCIS 2.0 serves both). */
const contentType = (req: FastifyRequest): string =>
  `${preferredType(req.headers.accept, ['application/ld+json', 'application/json']) === 'application/json' ? 'application/json' : 'application/ld+json'}; charset=utf-8`;

/** The EPCIS 2.0 query interface (REST binding): events, as an EPCISQueryDocument a page at a time. */
@ApiTags('epcis')
@Controller('epcis')
export class GetEpcisEventsHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** Regulators and inspectors see every lot's events; an operator those of lots that came near its facilities (the others are left out). */
  @Get('events')
  @Allow(['REGULATOR', 'INSPECTOR', 'OPERATOR'], { operatorScope: 'lot-visible' })
  @ApiOperation({
    summary: 'Lot events as GS1 EPCIS 2.0 (query interface)',
    description:
      "An EPCISQueryDocument (JSON-LD; `application/json` when asked) of the lot events as EPCIS events, 100 a page; filters combine with AND, a list's values with OR. An operator sees the events of the lots it may see, the others left out. With the header `GS1-EPC-Format: Always_GS1_Digital_Link`, a lot with a GTIN is named by its GS1 Digital Link class (`DIGITAL_LINK_BASE/01/<gtin>/10/<traceCode>`) instead of `urn:coldtrace:lot:<traceCode>`.",
  })
  @ApiHeader({ name: EPC_FORMAT_HEADER, required: false, description: '`Always_GS1_Digital_Link`: lots with a GTIN named by their GS1 Digital Link; any other value (or none): URNs', schema: { type: 'string' } })
  @ApiProduces('application/ld+json', 'application/json')
  @ApiOkResponse({
    description: 'One page of events',
    content: {
      'application/ld+json': { schema: { $ref: getSchemaPath(EpcisQueryDocumentResponse) } },
      'application/json': { schema: { $ref: getSchemaPath(EpcisQueryDocumentResponse) } },
    },
    headers: {
      Link: { description: 'The next page: `<url>; rel="next"` (absent on the last page)', schema: { type: 'string' } },
      'GS1-EPCIS-Version': { schema: { type: 'string', example: '2.0.0' } },
      'GS1-CBV-Version': { schema: { type: 'string', example: '2.0.0' } },
    },
  })
  @ApiExtraModels(EpcisQueryDocumentResponse)
  @ApiErrors({ 400: ['VALIDATION_FAILED'], 503: ['DATABASE_UNAVAILABLE'] })
  async events(@Query() q: GetEpcisEventsRequestDto, @Ctx() ctx: RequestContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<EpcisQueryDocument> {
    const page = pageRequest({ limit: q.perPage, cursor: q.nextPageToken }, 100, isEventKey, 'nextPageToken');
    const filters = epcisFiltersOf(q);
    const digitalLinks = req.headers[EPC_FORMAT_HEADER.toLowerCase()] === ALWAYS_DIGITAL_LINK;
    const { document, nextPageToken } = await this.queryBus.execute(new GetEpcisEventsQuery(filters, ctx.principal, page, digitalLinks));
    if (digitalLinks) res.header(EPC_FORMAT_HEADER, ALWAYS_DIGITAL_LINK);
    res.type(contentType(req));
    res.header('GS1-EPCIS-Version', '2.0.0');
    res.header('GS1-CBV-Version', '2.0.0');
    if (nextPageToken !== null) {
      const next = new URL(req.url, `${req.protocol}://${req.headers.host ?? 'localhost'}`);
      next.searchParams.set('nextPageToken', nextPageToken);
      res.header('Link', `<${next.toString()}>; rel="next"`);
    }
    return document;
  }
}
