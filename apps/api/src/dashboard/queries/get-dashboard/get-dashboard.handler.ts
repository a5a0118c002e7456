import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { REASON_CODES, type QuantityUnit } from '@app/domain';
import { MAX_PAGE_SIZE, type Page } from '../../../common/queries/page';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { allOf, SqlParams, whereOf } from '../../../common/queries/sql-conditions';
import { lotListConditions, type LotListFilters } from '../../../lots/queries/list-lots/list-lots.filter';
import { refusalListConditions } from '../../../lots/queries/list-refusals/list-refusals.query';
import { scanListConditions } from '../../../lots/queries/list-scans/list-scans.query';
import { violationListConditions, VIOLATIONS_FROM, type ViolationFilters } from '../../../lots/queries/list-violations/list-violations.query';
import type { ScanWindow } from '../../../lots/queries/scan-window.request.dto';
import { ListRecallsQuery, type RecallKey, type RecallSummaryView } from '../../../recalls/queries/list-recalls/list-recalls.query';
import { Counted, DashboardView, GetDashboardQuery } from './get-dashboard.query';

const HOUR_MS = 3_600_000;

/** A list's path with these filters. */
const listPath = (path: string, filters: object): string => {
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== undefined)).toString();
  return query ? `${path}?${query}` : path;
};

/**
 * Every number of the regulator's dashboard, each counted with the very
 * conditions its list filters by (lotListConditions, violationListConditions,
 * scanListConditions, refusalListConditions), and recalls summed from their
 * own list's pages: a count always equals the items its list gives.
 */
@QueryHandler(GetDashboardQuery)
export class GetDashboardHandler implements IQueryHandler<GetDashboardQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
  ) {}

  async execute({ atLeast }: GetDashboardQuery): Promise<DashboardView> {
    await Promise.all(['sale-eligibility', 'lot-summary', 'lot-history'].map((p) => this.gate.reach(p, atLeast)));
    const now = new Date();
    const lastHour: ScanWindow = { since: new Date(now.getTime() - HOUR_MS).toISOString(), until: now.toISOString() };
    const [lots, openViolations, recalls, scans, refusals] = await Promise.all([
      this.lots(),
      this.violations({ status: 'OPEN' }),
      this.recalls(atLeast),
      this.count('lot_history', scanListConditions, lastHour).then((count) => ({ count, list: listPath('/api/scans', lastHour) })),
      this.count('scan_refusals', refusalListConditions, lastHour).then((count) => ({ count, list: listPath('/api/refusals', lastHour) })),
    ]);
    return { at: now.toISOString(), lotsNotSellable: lots, openViolations, recallsInProgress: recalls, scans, refusals };
  }

  /** Blocked, and blocked per reason, in one read of sale_eligibility. */
  private async lots(): Promise<DashboardView['lotsNotSellable']> {
    const sql = new SqlParams();
    const filters: LotListFilters[] = [{ status: 'BLOCKED' }, ...REASON_CODES.map((reason) => ({ reason }))];
    const counts = filters.map((f, i) => `count(*) FILTER (WHERE ${allOf(lotListConditions(f, sql.p))})::int AS c${i}`);
    const [row]: Record<string, number>[] = await this.dataSource.query(`SELECT ${counts.join(', ')} FROM sale_eligibility`, sql.values);
    const counted = (f: LotListFilters, i: number): Counted => ({ count: row[`c${i}`], list: listPath('/api/lots', f) });
    return {
      ...counted(filters[0], 0),
      byReason: REASON_CODES.map((reason, i) => ({ reason, ...counted(filters[i + 1], i + 1) })),
    };
  }

  private async violations(f: ViolationFilters): Promise<Counted> {
    const sql = new SqlParams();
    const [{ n }]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${VIOLATIONS_FROM} ${whereOf(violationListConditions(f, sql.p))}`,
      sql.values,
    );
    return { count: n, list: listPath('/api/violations', f) };
  }

  private async count(table: string, conditions: (w: ScanWindow, p: (v: unknown) => string) => string[], w: ScanWindow): Promise<number> {
    const sql = new SqlParams();
    const [{ n }]: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM ${table} ${whereOf(conditions(w, sql.p))}`, sql.values);
    return n;
  }

  /** Recalls in progress are few: read from their list, page by page, and summed. */
  private async recalls(atLeast: number | undefined): Promise<DashboardView['recallsInProgress']> {
    const all: RecallSummaryView[] = [];
    for (let after: RecallKey | null = null; ; ) {
      const page: Page<RecallSummaryView> = await this.queryBus.execute(new ListRecallsQuery(true, atLeast, { limit: MAX_PAGE_SIZE, after }));
      all.push(...page.items);
      if (page.nextCursor === null) break;
      const last = page.items[page.items.length - 1];
      after = [last.recalledAt, last.recallId];
    }
    const unsold = new Map<QuantityUnit, number>();
    for (const u of all.flatMap((r) => r.unsold)) unsold.set(u.unit, (unsold.get(u.unit) ?? 0) + u.quantity);
    return {
      count: all.length,
      list: listPath('/api/recalls', { inProgress: 'true' }),
      unsold: [...unsold].sort(([a], [b]) => a.localeCompare(b)).map(([unit, quantity]) => ({ unit, quantity })),
      holders: all.reduce((n, r) => n + r.holders, 0),
      told: all.reduce((n, r) => n + r.told, 0),
    };
  }
}
