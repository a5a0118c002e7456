import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ActorRef, Role } from '@app/domain';
import { KeyListView, ListKeysQuery } from './list-keys.query';

interface Row {
  key_id: string;
  name: string;
  role: Role;
  facility_ids: string[];
  issued_at: Date;
  issued_by: ActorRef | null;
  revoked_at: Date | null;
  revoked_by: ActorRef | null;
}

/** Every key ever issued, oldest first, revoked ones included; never a token or its digest. */
@QueryHandler(ListKeysQuery)
export class ListKeysHandler implements IQueryHandler<ListKeysQuery> {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute(): Promise<KeyListView> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT key_id, name, role, facility_ids, issued_at, issued_by, revoked_at, revoked_by FROM api_keys ORDER BY issued_at, key_id`,
    );
    return {
      keys: rows.map((r) => ({
        id: r.key_id,
        name: r.name,
        role: r.role,
        facilityIds: [...r.facility_ids],
        createdAt: r.issued_at.toISOString(),
        createdBy: r.issued_by,
        revokedAt: r.revoked_at?.toISOString() ?? null,
        revokedBy: r.revoked_by,
      })),
    };
  }
}
