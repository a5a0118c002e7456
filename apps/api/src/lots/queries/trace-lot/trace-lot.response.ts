import { ApiProperty } from '@nestjs/swagger';
import type { LotStatus } from '@app/domain';
import type { LotLink } from '@app/read-models';
import { CustodyResponse, LOT_STATUSES, LotPortionResponse, LotQuantityResponse, ProductResponse, RouteStopResponse, TransitResponse } from '../../lot-parts.response';
import type { TraceNode, TraceView } from './trace-lot.query';

export class TraceNodeResponse implements TraceNode {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ type: () => ProductResponse, nullable: true })
  product: ProductResponse | null;

  @ApiProperty({ type: [String] })
  importers: string[];

  @ApiProperty({ type: [String] })
  originCountries: string[];

  @ApiProperty({ type: 'string', nullable: true })
  portOfEntryId: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  enteredAt: string | null;

  @ApiProperty({ type: () => LotQuantityResponse, nullable: true })
  quantity: LotQuantityResponse | null;

  @ApiProperty({ enum: LOT_STATUSES })
  status: LotStatus;

  @ApiProperty()
  saleAllowed: boolean;

  @ApiProperty({ type: () => CustodyResponse, nullable: true })
  holder: CustodyResponse | null;

  @ApiProperty({ type: () => TransitResponse, nullable: true })
  inTransit: TransitResponse | null;

  @ApiProperty({ type: () => [RouteStopResponse] })
  route: RouteStopResponse[];

  @ApiProperty({ type: () => [LotPortionResponse] })
  parents: LotPortionResponse[];
}

export class LotLinkResponse implements LotLink {
  @ApiProperty()
  parent: string;

  @ApiProperty()
  child: string;

  @ApiProperty({ enum: ['SPLIT', 'MERGE'] })
  kind: 'SPLIT' | 'MERGE';

  @ApiProperty({ description: 'The splitId or mergeId' })
  operationId: string;

  @ApiProperty()
  quantity: number;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
}

export class TraceResponse implements TraceView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ enum: ['forward', 'backward'] })
  direction: 'forward' | 'backward';

  @ApiProperty({ type: () => [TraceNodeResponse], description: 'In trace-code order, a page at a time' })
  lots: TraceNodeResponse[];

  @ApiProperty({ type: () => [LotLinkResponse], description: "The links into this page's lots" })
  links: LotLinkResponse[];

  @ApiProperty({ type: [String], description: 'Lots the genealogy names that the read model does not show yet' })
  pending: string[];

  @ApiProperty({ description: "Lots left out because they never came near the caller's facilities (operators only)" })
  hiddenLots: number;

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
