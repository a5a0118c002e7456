import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class RecallLotRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 500, description: 'Why, in words that go into every recalled lot\'s history' })
  @IsString()
  @Length(1, 500)
  reason: string;

  /** Optional client-chosen id: sending the same recall again then records nothing new. */
  @ApiPropertyOptional(apiId('Client-chosen id: the same recall sent again records nothing new'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `recallId ${ID_RULE}` })
  recallId?: string;
}
