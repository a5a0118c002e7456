import { ApiProperty } from '@nestjs/swagger';
import type { LogDigestView } from './get-log-digest.query';

export class LogDigestResponse implements LogDigestView {
  @ApiProperty({ description: 'Every event at or below this global position had committed when the digest was taken' })
  position: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "SHA-256 over every stream's head as of `position`; keep it elsewhere" })
  digest: string;

  @ApiProperty({ description: 'How many streams it covers' })
  streams: number;

  @ApiProperty({ format: 'date-time' })
  computedAt: string;

  @ApiProperty({ pattern: '^[0-9a-f]{16}$', description: 'The key that signed it (GET /api/audit/keys)' })
  signingKeyId: string;

  @ApiProperty({
    pattern: '^[0-9a-f]{128}$',
    description: 'Ed25519 signature (hex) over the UTF-8 text `coldtrace-log-digest:v1:<position>:<digest>:<computedAt>`: proof that this service answered this digest',
  })
  signature: string;
}
