import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { EpcisEventFiltersDto } from '../../epcis-filters.request.dto';

/** GET /api/epcis/events: the SimpleEventQuery filters, and a page of them. */
export class GetEpcisEventsRequestDto extends EpcisEventFiltersDto {
  @ApiPropertyOptional({ pattern: '^([1-9]\\d{0,2}|1000)$', description: 'Events per page, 1-1000 (default 100)' })
  @IsOptional()
  @Matches(/^([1-9]\d{0,2}|1000)$/, { message: 'perPage must be an integer from 1 to 1000' })
  perPage?: string;

  /** From the previous page's `Link: <...>; rel="next"`. */
  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,400}$', description: 'From the previous page\'s `Link: <...>; rel="next"`' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'nextPageToken must be one this endpoint returned' })
  nextPageToken?: string;
}

