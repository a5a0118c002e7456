import { ApiProperty } from '@nestjs/swagger';
import { SCAN_ACTIONS } from '@app/domain';
import type { Page } from '../../../common/queries/page';
import type { RefusalView } from './list-refusals.query';

export class RefusalResponse implements RefusalView {
  @ApiProperty()
  id: number;

  @ApiProperty({ format: 'date-time', description: 'When the API refused it' })
  at: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'The key that sent the scan' })
  keyId: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  keyName: string | null;

  @ApiProperty()
  scanId: string;

  @ApiProperty()
  traceCode: string;

  @ApiProperty()
  facilityId: string;

  @ApiProperty({ enum: SCAN_ACTIONS })
  action: string;

  @ApiProperty({ description: 'The error code the scanner was answered (SALE_BLOCKED, TRADE_BLOCKED, …)' })
  code: string;

  @ApiProperty()
  message: string;
}

export class ListRefusalsResponse implements Page<RefusalView> {
  @ApiProperty({ type: () => [RefusalResponse], description: 'Newest first' })
  items: RefusalResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
