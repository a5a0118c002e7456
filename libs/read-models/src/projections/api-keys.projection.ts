import { EntityManager } from 'typeorm';
import { ApiKeyIssued, ApiKeyRevoked } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';

/**
 * The credentials table the api authenticates against. Run inline (in the
 * append's transaction): a key works, or stops working, the moment its
 * event commits. Each change bumps `api_key_changes.seq` (see the migration).
 */
export class ApiKeysProjection implements Projection {
  readonly name = 'api-keys';
  // api_key_changes is not cleared on rebuild: the sequence only ever grows, so pollers see replayed rows as changes.
  readonly tables = ['api_keys'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const keyEvents = events.filter((e) => e.type === 'ApiKeyIssued' || e.type === 'ApiKeyRevoked');
    if (keyEvents.length === 0) return;
    const [{ seq }]: { seq: string }[] = await manager.query(
      `WITH bumped AS (UPDATE api_key_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq) SELECT seq FROM bumped`,
    );
    for (const e of keyEvents) {
      if (e.type === 'ApiKeyIssued') {
        const d = e.data as ApiKeyIssued['data'];
        await manager.query(
          `INSERT INTO api_keys (key_id, name, role, facility_ids, token_sha256, issued_at, issued_by, change_seq, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
           ON CONFLICT (key_id) DO NOTHING`,
          [d.keyId, d.name, d.role, d.facilityIds, d.tokenSha256, d.issuedAt, JSON.stringify(e.metadata.actor ?? null), seq, e.globalPosition],
        );
      } else {
        const d = e.data as ApiKeyRevoked['data'];
        await manager.query(
          `UPDATE api_keys SET revoked_at = $2, revoked_by = $3::jsonb, change_seq = $4, position = $5
            WHERE key_id = $1 AND revoked_at IS NULL`,
          [d.keyId, d.revokedAt, JSON.stringify(e.metadata.actor ?? null), seq, e.globalPosition],
        );
      }
    }
  }
}
