import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@app/domain';
import { ReadModelChanges } from '@app/read-models';
import { projectionStale } from '../../../common/http/api-errors';
import { RowCache } from '../../../common/queries/row-cache';
import { EligibilityRow, LotReadRepository } from '../../lot-read.repository';
import { eligibilityBody, SerialisedEligibility, serialiseEligibility } from './sale-eligibility.json';

/** Answers kept for the eligibility read: a busy city's lots on sale, at a few kB each. */
const ELIGIBILITY_ANSWERS = 50_000;

/** A lot's eligibility row and its answer serialised, kept together: the row decides who may see it and re-judges it once the clock changes the verdict. */
interface CachedAnswer {
  readonly row: EligibilityRow;
  answer: SerialisedEligibility;
}

/**
 * The retailer's hot path: each lot's answer is judged and serialised once
 * per version of its sale_eligibility row and kept as JSON text, dropped when
 * the projection announces the row changed (RowCache's one rule); a request
 * adds only its own `evaluatedAt`. The text is the same for every caller
 * allowed to see the lot (who may see it is checked per request, on the
 * row), and is judged again when a certificate expiry passes.
 */
@Injectable()
export class SaleEligibilityAnswers {
  private readonly answers: RowCache<CachedAnswer>;

  constructor(
    @Inject(LotReadRepository) private readonly lots: LotReadRepository,
    @Inject(ReadModelChanges) changes: ReadModelChanges,
  ) {
    this.answers = new RowCache(changes, 'sale_eligibility', ELIGIBILITY_ANSWERS);
  }

  /** The answer's JSON for `viewer` at `now`; `fresh` (after ?atLeast=) reads the table (read-your-writes). */
  async body(traceCode: string, viewer: Principal, fresh: boolean, now: Date): Promise<string> {
    return this.answerOf(traceCode, await this.answers.get(traceCode, (tc) => this.load(tc, now), fresh), viewer, now);
  }

  /** The answer from memory alone, or undefined when it is not there (body() then reads the table). */
  bodyInMemory(traceCode: string, viewer: Principal, now: Date): string | undefined {
    const cached = this.answers.peek(traceCode);
    return cached && this.answerOf(traceCode, cached, viewer, now);
  }

  private answerOf(traceCode: string, cached: CachedAnswer | null, viewer: Principal, now: Date): string {
    const row = this.lots.visibleTo(traceCode, cached?.row ?? null, viewer);
    // visibleTo refused a lot that is not there.
    const entry = cached as CachedAnswer;
    // Facts that may miss events give no verdict: a till must not sell on them.
    if (row.stale) throw projectionStale(traceCode, row.stale);
    // Judged now, not when projected: a certificate may have expired since it was serialised.
    if (now.getTime() >= entry.answer.holdsUntil) entry.answer = serialiseEligibility(row, now);
    return eligibilityBody(entry.answer, now);
  }

  private async load(traceCode: string, now: Date): Promise<CachedAnswer | null> {
    const row = await this.lots.loadEligibility(traceCode);
    return row && { row, answer: serialiseEligibility(row, now) };
  }
}
