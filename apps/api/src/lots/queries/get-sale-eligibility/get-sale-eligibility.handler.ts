import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { saleEligibility } from '@app/domain';
import { projectionStale } from '../../../common/http/api-errors';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { LotReadRepository } from '../../lot-read.repository';
import { GetSaleEligibilityQuery, SaleEligibilityView } from './get-sale-eligibility.query';

@QueryHandler(GetSaleEligibilityQuery)
export class GetSaleEligibilityHandler implements IQueryHandler<GetSaleEligibilityQuery> {
  constructor(
    @Inject(LotReadRepository) private readonly lots: LotReadRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ traceCode, atLeast, viewer }: GetSaleEligibilityQuery): Promise<SaleEligibilityView> {
    await this.gate.reach('sale-eligibility', atLeast);
    const row = await this.lots.eligibility(traceCode, viewer, atLeast !== undefined);
    // Facts that may miss events give no verdict: a till must not sell on them.
    if (row.stale) throw projectionStale(traceCode, row.stale);
    // Judged now, not when projected: a certificate may have expired since.
    const now = new Date();
    const verdict = saleEligibility(row.facts, now);
    return {
      traceCode: row.traceCode,
      allowed: verdict.allowed,
      reasons: verdict.reasons,
      position: row.position,
      version: row.version,
      evaluatedAt: now.toISOString(),
    };
  }
}
