import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type ActorRef, type Role } from '@app/domain';
import type { KeyListView, KeyView } from './list-keys.query';

export class KeyActorResponse implements ActorRef {
  @ApiProperty()
  keyId: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;
}

export class KeyResponse implements KeyView {
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

  @ApiProperty({ type: () => KeyActorResponse, nullable: true, description: 'Who issued it: a key, or system:first-start / system:keys-cli' })
  createdBy: KeyActorResponse | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  revokedAt: string | null;

  @ApiProperty({ type: () => KeyActorResponse, nullable: true })
  revokedBy: KeyActorResponse | null;
}

export class KeyListResponse implements KeyListView {
  @ApiProperty({ type: () => [KeyResponse], description: 'Never a token or its digest' })
  keys: KeyResponse[];
}
