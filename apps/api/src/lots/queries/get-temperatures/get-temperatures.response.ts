import { ApiProperty } from '@nestjs/swagger';
import { PRODUCT_CATEGORIES, type ProductCategory } from '@app/domain';
import type { TemperaturePoint, TemperatureSeriesView } from './temperature-series';

export class TemperaturePointResponse implements TemperaturePoint {
  @ApiProperty({ format: 'date-time', description: "The first reading's time in its bucket" })
  at: string;

  @ApiProperty({ description: "The mean of the bucket's readings (all devices), °C to 2 decimals" })
  celsius: number;

  @ApiProperty()
  min: number;

  @ApiProperty()
  max: number;
}

export class TemperatureRangeResponse {
  @ApiProperty({ type: 'number', nullable: true, description: 'Lowest allowed °C (null: no bound)' })
  minCelsius: number | null;

  @ApiProperty({ type: 'number', nullable: true, description: 'Highest allowed °C (null: no bound)' })
  maxCelsius: number | null;
}

export class TemperatureExcursionResponse {
  @ApiProperty({ enum: ['EXCURSION', 'ABUSE'] })
  kind: 'EXCURSION' | 'ABUSE';

  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({ description: 'Time actually spent outside (minutes, may be fractional)' })
  durationMinutes: number;

  @ApiProperty({ description: 'The reading furthest from the range, °C' })
  extremeCelsius: number;
}

export class TemperatureGapResponse {
  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty()
  minutes: number;
}

export class TemperatureSeriesResponse implements TemperatureSeriesView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ enum: PRODUCT_CATEGORIES })
  category: ProductCategory;

  @ApiProperty({ type: () => TemperatureRangeResponse, description: "The lot's category's range" })
  range: TemperatureRangeResponse;

  @ApiProperty({ description: 'Readings in the window (all devices, the part inherited from ancestors included)' })
  readings: number;

  @ApiProperty({ type: () => [TemperaturePointResponse], description: 'Time order, at most 1,000 (or `resolution`)' })
  points: TemperaturePointResponse[];

  @ApiProperty({ type: () => [TemperatureExcursionResponse], description: 'Excursions (beyond the tolerance) and abuses (beyond the hard limit) reaching into the window' })
  excursions: TemperatureExcursionResponse[];

  @ApiProperty({ type: () => [TemperatureGapResponse] })
  gaps: TemperatureGapResponse[];
}
