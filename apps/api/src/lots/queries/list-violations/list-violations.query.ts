import { Query } from '@nestjs/cqrs';
import type { TraceViolation } from '@app/domain';
import type { Page, PageRequest } from '../../../common/queries/page';
import { isTraceCodeKey } from '../../../common/queries/page';
import type { ListViolationsRequestDto } from './list-violations.request.dto';

/** A violation of one lot: a violation inherited by a split or merge is listed on each lot it blocks. */
export interface LotViolationView extends TraceViolation {
  traceCode: string;
}

export type ViolationFilters = Pick<ListViolationsRequestDto, 'status' | 'facilityId'>;

/** Every lot's violations, one row each (`s` the lot summary, `v` the violation): the list's and the dashboard's. */
export const VIOLATIONS_FROM = `lot_summary s CROSS JOIN LATERAL jsonb_array_elements(s.lot->'violations') v`;

export const violationListConditions = (f: ViolationFilters, p: (v: unknown) => string): string[] => [
  ...(f.status !== undefined ? [`v->>'status' = ${p(f.status)}`] : []),
  ...(f.facilityId !== undefined ? [`v->>'facilityId' = ${p(f.facilityId)}`] : []),
];

/** The list pages by (trace code, violation id). */
export type ViolationKey = [string, string];
export const isViolationKey = (v: unknown): v is ViolationKey =>
  Array.isArray(v) && v.length === 2 && isTraceCodeKey(v[0]) && typeof v[1] === 'string' && v[1].length > 0 && v[1].length <= 300;

export class ListViolationsQuery extends Query<Page<LotViolationView>> {
  constructor(
    readonly filters: ViolationFilters,
    readonly atLeast: number | undefined,
    readonly page: PageRequest<ViolationKey>,
  ) {
    super();
  }
}
