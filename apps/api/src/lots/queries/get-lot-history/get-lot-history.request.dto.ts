import { IsIn, IsOptional } from 'class-validator';
import { ReadQueryDto } from '../../../common/queries/read-query.dto';

export const HISTORY_ORDERS = ['recorded', 'occurred'] as const;
export type HistoryOrder = (typeof HISTORY_ORDERS)[number];

export class GetLotHistoryRequestDto extends ReadQueryDto {
  /** `recorded` (default): as the events were written; `occurred`: by when they happened (late uploads take their place). */
  @IsOptional()
  @IsIn(HISTORY_ORDERS)
  order?: HistoryOrder;
}
