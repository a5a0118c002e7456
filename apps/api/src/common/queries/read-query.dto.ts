import { IsOptional, Matches } from 'class-validator';

/** `?atLeast=<position>`: wait until the read model includes that event. */
export class ReadQueryDto {
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'atLeast must be a non-negative integer (a position returned by a command)' })
  atLeast?: string;
}

export const atLeastOf = (q: ReadQueryDto): number | undefined => (q.atLeast === undefined ? undefined : Number(q.atLeast));
