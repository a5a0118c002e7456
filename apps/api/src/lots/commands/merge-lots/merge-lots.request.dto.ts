import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { LotPortionRequestDto } from '../split-lot/split-lot.request.dto';

export class MergeLotsRequestDto {
  /** Idempotency key: the same merge sent again records nothing new. */
  @ApiProperty(apiId('Idempotency key: the same merge sent again records nothing new'))
  @Matches(ID_PATTERN, { message: `mergeId ${ID_RULE}` })
  mergeId: string;

  /** The new, repacked lot. */
  @ApiProperty(apiId('The new, repacked lot'))
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  @ApiProperty({ type: () => [LotPortionRequestDto], minItems: 2, maxItems: 1000, description: 'The portion taken from each parent, in its unit' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LotPortionRequestDto)
  parents: LotPortionRequestDto[];

  /** Where the repacking happens; every parent must be held there. */
  @ApiProperty(apiId('Where the repacking happens; every parent must be held there'))
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId: string;

  @ApiPropertyOptional(apiTimestamp('When the merge happened; defaults to now'))
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
