import { ApiProperty } from '@nestjs/swagger';
import { SCAN_ACTIONS, type ScanAction } from '@app/domain';
import type { Page } from '../../../common/queries/page';
import { KeyActorResponse } from '../../../keys/queries/list-keys/list-keys.response';
import type { ScanView } from './list-scans.query';

export class ScanResponse implements ScanView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty()
  scanId: string;

  @ApiProperty({ enum: SCAN_ACTIONS })
  action: ScanAction;

  @ApiProperty({ type: 'string', nullable: true })
  facilityId: string | null;

  @ApiProperty({ format: 'date-time', description: 'When it happened' })
  occurredAt: string;

  @ApiProperty({ format: 'date-time', description: 'When the API recorded it: what `since` and `until` compare' })
  recordedAt: string;

  @ApiProperty({ type: () => KeyActorResponse, nullable: true, description: 'The key that sent it' })
  by: KeyActorResponse | null;

  @ApiProperty()
  position: number;
}

export class ListScansResponse implements Page<ScanView> {
  @ApiProperty({ type: () => [ScanResponse], description: 'Newest first' })
  items: ScanResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
