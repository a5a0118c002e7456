import { ApiProperty } from '@nestjs/swagger';
import { CONSUMER_STATUSES, DOCUMENT_TYPES, FACILITY_TYPES, type CertificateSummary, type ConsumerStatus, type DocumentType, type FacilityType } from '@app/domain';
import { ProductResponse } from '../../../lots/lot-parts.response';
import type { PublicLotView } from './get-public-lot.query';

type PathStop = PublicLotView['path'][number];

export class PublicPathStopResponse implements PathStop {
  @ApiProperty()
  facilityName: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  facilityType: FacilityType;

  @ApiProperty({ format: 'date-time' })
  arrivedAt: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  departedAt: string | null;
}

export class CertificateSummaryResponse implements CertificateSummary {
  @ApiProperty({ enum: DOCUMENT_TYPES })
  type: DocumentType;

  @ApiProperty({ description: 'Every line of papers has one on file' })
  present: boolean;

  @ApiProperty({ description: 'Present, not expired and, for a nucleic-acid test, negative, on every line' })
  valid: boolean;

  @ApiProperty({ type: 'string', nullable: true })
  issuer: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  issuedAt: string | null;
}

/** The shopper's view: nothing private (no zones, vehicles, scan ids, actors, importer, document numbers, violation details). */
export class PublicLotResponse implements PublicLotView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ type: () => ProductResponse })
  product: ProductResponse;

  @ApiProperty({ type: [String] })
  originCountries: string[];

  @ApiProperty({ type: () => [PublicPathStopResponse] })
  path: PublicPathStopResponse[];

  @ApiProperty({ type: () => [CertificateSummaryResponse] })
  certificates: CertificateSummaryResponse[];

  @ApiProperty({ enum: CONSUMER_STATUSES })
  status: ConsumerStatus;

  @ApiProperty({ format: 'date-time' })
  evaluatedAt: string;
}
