import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, IsPositive, Matches, Max, ValidateNested } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { apiDecimal, IsDecimalNumber } from '../../../common/http/decimal-number.validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class LotPortionRequestDto {
  @ApiProperty(apiId())
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  /** In the parent's unit. */
  @ApiProperty({ ...apiDecimal(3, 'In the parent\'s unit (cartons and pieces whole)'), exclusiveMinimum: true, minimum: 0, maximum: 1_000_000_000 })
  @IsDecimalNumber(3)
  @IsPositive()
  @Max(1_000_000_000)
  quantity: number;
}

export class SplitLotRequestDto {
  /** Idempotency key: the same split sent again records nothing new. */
  @ApiProperty(apiId('Idempotency key: the same split sent again records nothing new'))
  @Matches(ID_PATTERN, { message: `splitId ${ID_RULE}` })
  splitId: string;

  @ApiProperty({ type: () => [LotPortionRequestDto], minItems: 1, maxItems: 1000, description: 'The new child lots and the quantity each takes' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LotPortionRequestDto)
  children: LotPortionRequestDto[];

  /** When the split happened; defaults to now. */
  @ApiPropertyOptional(apiTimestamp('When the split happened; defaults to now'))
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
