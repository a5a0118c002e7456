import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, IsPositive, Matches, Max, ValidateNested } from 'class-validator';
import { IsTimestamp } from '../../../common/http/timestamp.validator';
import { IsDecimalNumber } from '../../../common/http/decimal-number.validator';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class LotPortionRequestDto {
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  /** In the parent's unit. */
  @IsDecimalNumber(3)
  @IsPositive()
  @Max(1_000_000_000)
  quantity: number;
}

export class SplitLotRequestDto {
  /** Idempotency key: the same split sent again records nothing new. */
  @Matches(ID_PATTERN, { message: `splitId ${ID_RULE}` })
  splitId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LotPortionRequestDto)
  children: LotPortionRequestDto[];

  /** When the split happened; defaults to now. */
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
