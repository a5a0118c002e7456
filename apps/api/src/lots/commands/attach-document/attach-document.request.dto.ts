import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { DOCUMENT_TYPES, DocumentType, TEST_RESULTS, TestResult } from '@app/domain';

export class AttachDocumentRequestDto {
  @ApiProperty({ enum: DOCUMENT_TYPES })
  @IsIn(DOCUMENT_TYPES)
  type: DocumentType;

  @ApiProperty({ minLength: 1, maxLength: 100, description: 'The document number; same type and number with other content is 409 DOCUMENT_CONFLICT' })
  @IsString()
  @Length(1, 100)
  number: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  issuer: string;

  @ApiProperty(apiTimestamp('Not in the future; no earlier than the lot\'s entry less DOCUMENT_DATE_TOLERANCE_DAYS'))
  @IsTimestamp()
  issuedAt: string;

  @ApiPropertyOptional(apiTimestamp('After issuedAt'))
  @IsOptional()
  @IsTimestamp()
  validUntil?: string;

  /** Required for NUCLEIC_ACID_TEST, forbidden otherwise (checked by the domain). */
  @ApiPropertyOptional({ enum: TEST_RESULTS, description: 'Required for NUCLEIC_ACID_TEST, forbidden otherwise; POSITIVE locks the lot and recalls its batch' })
  @IsOptional()
  @IsIn(TEST_RESULTS)
  result?: TestResult;
}
