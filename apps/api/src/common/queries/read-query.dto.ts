import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** `?atLeast=<position>`: wait until the read model includes that event. */
export class ReadQueryDto {
  @ApiPropertyOptional({
    pattern: '^\\d{1,15}$',
    description: 'A `position` a command answered: wait (up to READ_WAIT_TIMEOUT_MS) until the read model includes it, else 503 PROJECTION_LAGGING',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'atLeast must be a non-negative integer (a position returned by a command)' })
  atLeast?: string;
}

export const atLeastOf = (q: ReadQueryDto): number | undefined => (q.atLeast === undefined ? undefined : Number(q.atLeast));
