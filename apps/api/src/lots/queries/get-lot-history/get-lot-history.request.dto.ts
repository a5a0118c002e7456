import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/queries/page';

export const HISTORY_ORDERS = ['recorded', 'occurred'] as const;
export type HistoryOrder = (typeof HISTORY_ORDERS)[number];

export class GetLotHistoryRequestDto extends PageQueryDto {
  /** `recorded` (default): as the events were written; `occurred`: by when they happened (late uploads take their place). */
  @ApiPropertyOptional({ enum: HISTORY_ORDERS, default: 'recorded', description: '`recorded`: as the events were written; `occurred`: by when they happened' })
  @IsOptional()
  @IsIn(HISTORY_ORDERS)
  order?: HistoryOrder;
}

/** Where a history page ends: the version, and with `order=occurred` when it happened (to the microsecond). */
export interface HistoryKey {
  readonly version: number;
  readonly occurred?: string;
}

const TIME_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A cursor of this order's shape: one issued for the other order is refused, not misread. */
export const historyKeyFor =
  (order: HistoryOrder) =>
  (v: unknown): v is HistoryKey => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const { version, occurred, ...rest } = v as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || !Number.isSafeInteger(version) || (version as number) < 1) return false;
    return order === 'occurred' ? typeof occurred === 'string' && TIME_KEY.test(occurred) : occurred === undefined;
  };
