import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../common/http/identifiers';
import { apiTimestamp, IsTimestamp } from '../../common/http/timestamp.validator';
import { PageQueryDto } from '../../common/queries/page';

/** Scans, or refused scans, in a window of when the API answered them; every filter optional, combined with AND. */
export class ScanWindowRequestDto extends PageQueryDto {
  @ApiPropertyOptional(apiTimestamp('At or after this time'))
  @IsOptional()
  @IsTimestamp()
  since?: string;

  @ApiPropertyOptional(apiTimestamp('Before this time'))
  @IsOptional()
  @IsTimestamp()
  until?: string;

  @ApiPropertyOptional(apiId('Of this lot'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode?: string;

  @ApiPropertyOptional(apiId('At this facility'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId?: string;
}

export type ScanWindow = Pick<ScanWindowRequestDto, 'since' | 'until' | 'traceCode' | 'facilityId'>;

/** A window's conditions on a table's columns (its time, lot and facility): a list and the dashboard's count of it read the same. */
export const scanWindowConditions = (
  w: ScanWindow,
  p: (v: unknown) => string,
  columns: { readonly at: string; readonly traceCode: string; readonly facilityId: string },
): string[] => {
  const where: string[] = [];
  if (w.since !== undefined) where.push(`${columns.at} >= ${p(w.since)}::timestamptz`);
  if (w.until !== undefined) where.push(`${columns.at} < ${p(w.until)}::timestamptz`);
  if (w.traceCode !== undefined) where.push(`${columns.traceCode} = ${p(w.traceCode)}`);
  if (w.facilityId !== undefined) where.push(`${columns.facilityId} = ${p(w.facilityId)}`);
  return where;
};
