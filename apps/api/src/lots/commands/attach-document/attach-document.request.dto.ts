import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsTimestamp } from '../../../common/http/timestamp.validator';
import { DOCUMENT_TYPES, DocumentType, TEST_RESULTS, TestResult } from '@app/domain';

export class AttachDocumentRequestDto {
  @IsIn(DOCUMENT_TYPES)
  type: DocumentType;

  @IsString()
  @Length(1, 100)
  number: string;

  @IsString()
  @Length(1, 200)
  issuer: string;

  @IsTimestamp()
  issuedAt: string;

  @IsOptional()
  @IsTimestamp()
  validUntil?: string;

  /** Required for NUCLEIC_ACID_TEST, forbidden otherwise (checked by the domain). */
  @IsOptional()
  @IsIn(TEST_RESULTS)
  result?: TestResult;
}
