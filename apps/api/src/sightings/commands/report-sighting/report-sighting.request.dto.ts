import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAX_SIGHTING_NOTE } from '@app/domain';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

/** A lot found where it was not sent, reported by the facility that found it. */
export class ReportSightingRequestDto {
  @ApiProperty(apiId('The code read off the pack, whether or not Coldtrace knows it'))
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  @ApiProperty(apiId('Where it was found (an operator key\'s own facility)'))
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId: string;

  @ApiProperty(apiTimestamp('When it was found; at most 5 minutes in the future'))
  @IsTimestamp()
  occurredAt: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_SIGHTING_NOTE, description: 'What was found, for the regulator reviewing it' })
  @IsString()
  @Length(1, MAX_SIGHTING_NOTE)
  note: string;

  /** Optional client-chosen id: the same report sent again records nothing new. */
  @ApiPropertyOptional(apiId('Client-chosen idempotency key: the same report sent again answers the first answer'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `reportId ${ID_RULE}` })
  reportId?: string;
}
