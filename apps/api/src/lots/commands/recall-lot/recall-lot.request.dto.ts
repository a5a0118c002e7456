import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class RecallLotRequestDto {
  @IsString()
  @Length(1, 500)
  reason: string;

  /** Optional client-chosen id: sending the same recall again then records nothing new. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: `recallId ${ID_RULE}` })
  recallId?: string;
}
