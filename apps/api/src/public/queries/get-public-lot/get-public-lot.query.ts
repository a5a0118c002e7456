import { Query } from '@nestjs/cqrs';
import type { CertificateSummary, ConsumerStatus, FacilityType, ProductView } from '@app/domain';

/**
 * What a shopper sees behind the QR code: what it is, where it came from, the
 * path it took, which papers are in order, and a plain status. Nothing
 * private: no zones, vehicles, scan ids, actors, importer, document numbers
 * or violation details.
 */
export interface PublicLotView {
  traceCode: string;
  /** The GTIN is printed on the pack's barcode anyway: nothing private. */
  product: ProductView;
  /** One country; several for a lot repacked from lots of different origins. */
  originCountries: string[];
  path: { facilityName: string; facilityType: FacilityType; arrivedAt: string; departedAt: string | null }[];
  certificates: CertificateSummary[];
  status: ConsumerStatus;
  evaluatedAt: string;
}

export class GetPublicLotQuery extends Query<PublicLotView> {
  constructor(
    readonly traceCode: string,
    readonly atLeast: number | undefined,
  ) {
    super();
  }
}
