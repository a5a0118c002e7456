import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@app/domain';
import type { IssuedKey } from './issue-key.command';

export class IssuedKeyResponse implements IssuedKey {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ type: [String] })
  facilityIds: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ description: 'The bearer token (`ct_` + 256 random bits, base64url): shown in this answer only, stored only as its SHA-256' })
  token: string;
}
