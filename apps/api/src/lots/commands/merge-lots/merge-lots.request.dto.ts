import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { IsTimestamp } from '../../../common/http/timestamp.validator';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { LotPortionRequestDto } from '../split-lot/split-lot.request.dto';

export class MergeLotsRequestDto {
  /** Idempotency key: the same merge sent again records nothing new. */
  @Matches(ID_PATTERN, { message: `mergeId ${ID_RULE}` })
  mergeId: string;

  /** The new, repacked lot. */
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LotPortionRequestDto)
  parents: LotPortionRequestDto[];

  /** Where the repacking happens; every parent must be held there. */
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId: string;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
