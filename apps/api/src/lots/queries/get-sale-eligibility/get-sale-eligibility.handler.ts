import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { GetSaleEligibilityQuery } from './get-sale-eligibility.query';
import { SaleEligibilityAnswers } from './sale-eligibility.answers';

@QueryHandler(GetSaleEligibilityQuery)
export class GetSaleEligibilityHandler implements IQueryHandler<GetSaleEligibilityQuery> {
  constructor(
    @Inject(SaleEligibilityAnswers) private readonly answers: SaleEligibilityAnswers,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ traceCode, atLeast, viewer }: GetSaleEligibilityQuery): Promise<string> {
    await this.gate.reach('sale-eligibility', atLeast);
    return this.answers.body(traceCode, viewer, atLeast !== undefined, new Date());
  }
}
