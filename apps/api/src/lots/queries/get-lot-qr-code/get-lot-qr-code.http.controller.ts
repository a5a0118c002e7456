import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { atLeastOf, ReadQueryDto } from '../../../common/queries/read-query.dto';
import { LOT_READERS } from '../../lot-queries.http.controller';
import { GetLotQrCodeQuery, LotQrCode } from './get-lot-qr-code.query';
import { QrFormat } from './get-lot-qr-code.render';

const DESCRIPTION =
  "Encodes, for printing on the lot's packs, the lot's GS1 Digital Link `PUBLIC_BASE_URL/01/<gtin>/10/<traceCode>` when it has a GTIN (our resolver: a phone goes on to the shopper's page), else the shopper's page address `PUBLIC_BASE_URL/t/<traceCode>`. Same readers and scope as GET /api/lots/:traceCode.";

/** The code on the pack, for whoever may read the lot (LOT_READERS: an operator only a lot that came near its facilities). */
@ApiTags('lots')
@Controller('lots')
export class GetLotQrCodeHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':traceCode/qr.svg')
  @LOT_READERS
  @ApiOperation({ summary: "A lot's QR code (SVG)", description: DESCRIPTION })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The QR code as SVG', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  svg(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto, @Ctx() ctx: RequestContext, @Res() res: FastifyReply): Promise<void> {
    return this.send('svg', traceCode, q, ctx, res);
  }

  @Get(':traceCode/qr.png')
  @LOT_READERS
  @ApiOperation({ summary: "A lot's QR code (PNG)", description: DESCRIPTION })
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'The QR code as a 512-pixel PNG', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  png(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto, @Ctx() ctx: RequestContext, @Res() res: FastifyReply): Promise<void> {
    return this.send('png', traceCode, q, ctx, res);
  }

  private async send(format: QrFormat, traceCode: string, q: ReadQueryDto, ctx: RequestContext, res: FastifyReply): Promise<void> {
    const code: LotQrCode = await this.queryBus.execute(new GetLotQrCodeQuery(traceCode, format, atLeastOf(q), ctx.principal));
    res.type(code.contentType).send(code.body);
  }
}
