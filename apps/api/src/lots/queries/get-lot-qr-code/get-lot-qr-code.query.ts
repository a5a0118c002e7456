import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { QrFormat } from './get-lot-qr-code.render';

/** The code to print on a lot's packs: an image of the shopper's page address. */
export interface LotQrCode {
  readonly url: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export class GetLotQrCodeQuery extends Query<LotQrCode> {
  constructor(
    readonly traceCode: string,
    readonly format: QrFormat,
    readonly atLeast: number | undefined,
    readonly viewer: Principal,
  ) {
    super();
  }
}
