import { ApiProperty } from '@nestjs/swagger';
import type { RevokedKey } from './revoke-key.command';

export class RevokedKeyResponse implements RevokedKey {
  @ApiProperty()
  id: string;

  @ApiProperty({ format: 'date-time', description: 'When it was first revoked' })
  revokedAt: string;

  @ApiProperty()
  version: number;

  @ApiProperty()
  position: number;
}
