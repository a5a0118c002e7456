import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { LotReadRepository } from '../../lot-read.repository';
import { GetTemperaturesQuery } from './get-temperatures.query';
import { TemperatureSeries, TemperatureSeriesView } from './temperature-series';

/** A lot's temperature series, in the viewer's read scope (else 404, as for an unknown lot). */
@QueryHandler(GetTemperaturesQuery)
export class GetTemperaturesHandler implements IQueryHandler<GetTemperaturesQuery> {
  constructor(
    @Inject(LotReadRepository) private readonly lots: LotReadRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
    @Inject(TemperatureSeries) private readonly series: TemperatureSeries,
  ) {}

  async execute({ traceCode, window, atLeast, viewer }: GetTemperaturesQuery): Promise<TemperatureSeriesView> {
    await this.gate.reach('lot-summary', atLeast);
    const row = await this.lots.summary(traceCode, viewer);
    return this.series.of(traceCode, row.lot.product!.category, window);
  }
}
