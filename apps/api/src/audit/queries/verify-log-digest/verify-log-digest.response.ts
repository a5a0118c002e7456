import { ApiProperty } from '@nestjs/swagger';
import type { LogDigestCheckView } from './verify-log-digest.query';

export class LogDigestCheckResponse implements LogDigestCheckView {
  @ApiProperty({ description: "Today's log yields the same digest at that position" })
  consistent: boolean;

  @ApiProperty()
  position: number;

  @ApiProperty({ type: 'string', nullable: true, description: "The digest re-computed from today's log; null when the log no longer reaches that position" })
  digest: string | null;
}
