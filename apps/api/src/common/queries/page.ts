import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { validationFailed } from '../http/api-errors';
import { ID_PATTERN } from '../http/identifiers';
import { ReadQueryDto } from './read-query.dto';

/** The most items any page holds, whatever `limit` asks. */
export const MAX_PAGE_SIZE = 1000;

/**
 * `?limit=&cursor=` on every list that can grow (a lot's history, a trace, an
 * inventory, a recall, the regulator's list): keyset pagination, so a page
 * costs the same however deep it is and nothing is skipped or repeated while
 * new rows arrive behind the cursor.
 */
export class PageQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ pattern: '^([1-9]\\d{0,2}|1000)$', description: 'Items per page, 1-1000 (each list has its own default)' })
  @IsOptional()
  @Matches(/^([1-9]\d{0,2}|1000)$/, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  limit?: string;

  /** `nextCursor` of the previous page. */
  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,400}$', description: 'The `nextCursor` of the previous page (same other parameters)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a nextCursor returned by this endpoint' })
  cursor?: string;
}

/** What a handler reads: how many, and the key of the last item of the previous page (null: from the start). */
export interface PageRequest<K> {
  readonly limit: number;
  readonly after: K | null;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** A cursor is the last key of a page, as base64url JSON: opaque to callers, checked when it comes back. */
export const encodeCursor = (key: unknown): string => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

const decodeCursor = (cursor: string): unknown => {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

/** `isKey` says what this endpoint's cursors look like (`cursorField`: the parameter's name, where it is not `cursor`); anything else did not come from it (another endpoint's, an edited one): 400. */
export const pageRequest = <K>(q: PageQueryDto, defaultLimit: number, isKey: (v: unknown) => v is K, cursorField = 'cursor'): PageRequest<K> => {
  const limit = q.limit === undefined ? defaultLimit : Number(q.limit);
  if (q.cursor === undefined) return { limit, after: null };
  const after = decodeCursor(q.cursor);
  if (!isKey(after)) throw validationFailed(`${cursorField} is not one this endpoint returned`, { field: cursorField });
  return { limit, after };
};

/** From `limit + 1` rows read in key order: the page, and a cursor when there was more. */
export const pageOf = <T, K>(rows: readonly T[], page: PageRequest<K>, keyOf: (row: T) => K): Page<T> => {
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? encodeCursor(keyOf(items[items.length - 1])) : null };
};

/** Most lists page by trace code. */
export const isTraceCodeKey = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);

/** Lists newest first page by a position or id (the next page is below it). */
export const isPositionKey = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
