import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { SeriesWindow, TemperatureSeriesView } from './temperature-series';

export class GetTemperaturesQuery extends Query<TemperatureSeriesView> {
  constructor(
    readonly traceCode: string,
    readonly window: SeriesWindow,
    readonly atLeast: number | undefined,
    readonly viewer: Principal,
  ) {
    super();
  }
}
