import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { packCodeUrl } from '../../../public/pages/shopper-page/shopper-page.url';
import { LotReadRepository } from '../../lot-read.repository';
import { GetLotQrCodeQuery, LotQrCode } from './get-lot-qr-code.query';
import { QR_CONTENT_TYPES, renderQrCode } from './get-lot-qr-code.render';

@QueryHandler(GetLotQrCodeQuery)
export class GetLotQrCodeHandler implements IQueryHandler<GetLotQrCodeQuery> {
  constructor(
    @Inject(LotReadRepository) private readonly lots: LotReadRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Only for a lot the caller may read (else 404 LOT_NOT_FOUND, as GET /api/lots/:traceCode): a code is no way to probe. */
  async execute({ traceCode, format, atLeast, viewer }: GetLotQrCodeQuery): Promise<LotQrCode> {
    await this.gate.reach('lot-summary', atLeast);
    const row = await this.lots.summary(traceCode, viewer);
    const url = packCodeUrl(this.config.publicBaseUrl, row.traceCode, row.lot.product?.gtin);
    return { url, contentType: QR_CONTENT_TYPES[format], body: await renderQrCode(url, format) };
  }
}
