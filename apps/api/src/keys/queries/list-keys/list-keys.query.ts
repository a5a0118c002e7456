import { Query } from '@nestjs/cqrs';
import type { ActorRef, Role } from '@app/domain';

export interface KeyView {
  id: string;
  name: string;
  role: Role;
  facilityIds: string[];
  createdAt: string;
  createdBy: ActorRef | null;
  revokedAt: string | null;
  revokedBy: ActorRef | null;
}

export interface KeyListView {
  keys: KeyView[];
}

export class ListKeysQuery extends Query<KeyListView> {}
