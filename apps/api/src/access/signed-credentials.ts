import type { EntityManager } from 'typeorm';
import { ApiKeyIssued, apiKeyStreamId, Principal, Role } from '@app/domain';
import { EventLogAudit } from '@app/event-store';

/** An `api_keys` row as the credential store and audit:verify read it. */
export interface KeyRow {
  key_id: string;
  name: string;
  role: Role;
  facility_ids: string[];
  token_sha256: string;
  revoked_at: Date | null;
}

export interface CredentialJudgement {
  readonly keyId: string;
  /** The credential, when the row says what the key's signed events say and they do not revoke it; else null. */
  readonly principal: Principal | null;
  /** How the row departs from the key's signed events; null when it agrees with them. */
  readonly problem: string | null;
}

/** Rows judged per round trip (two queries and their signatures). */
const ROWS_PER_BATCH = 1000;

const list = (ids: readonly string[]): string => `[${ids.join(', ')}]`;

const judge = (row: KeyRow, verified: Awaited<ReturnType<EventLogAudit['readVerifiedStreams']>>): string | null => {
  const found = verified.get(apiKeyStreamId(row.key_id));
  if (!found || found.verdict.events === 0) return `no signed ApiKeyIssued event: stream ${apiKeyStreamId(row.key_id)} does not exist`;
  const { verdict, events } = found;
  if (!verdict.valid) return `its key events do not verify (version ${verdict.firstInvalidVersion}: ${verdict.reason})`;
  const issued = events.find((e) => e.type === 'ApiKeyIssued')?.data as ApiKeyIssued['data'] | undefined;
  if (!issued) return `no signed ApiKeyIssued event in stream ${apiKeyStreamId(row.key_id)}`;
  const revoked = events.some((e) => e.type === 'ApiKeyRevoked');
  const differences = [
    issued.keyId !== row.key_id && `its signed ApiKeyIssued is for key ${issued.keyId}`,
    issued.role !== row.role && `role ${row.role} in api_keys, ${issued.role} in its signed ApiKeyIssued`,
    list(issued.facilityIds) !== list(row.facility_ids) && `facilities ${list(row.facility_ids)} in api_keys, ${list(issued.facilityIds)} in its signed ApiKeyIssued`,
    issued.tokenSha256 !== row.token_sha256 && 'its token digest is not the one its signed ApiKeyIssued names',
    issued.name !== row.name && `name "${row.name}" in api_keys, "${issued.name}" in its signed ApiKeyIssued`,
    revoked && !row.revoked_at && 'active in api_keys, revoked by its signed ApiKeyRevoked',
    !revoked && row.revoked_at && 'revoked in api_keys, with no signed ApiKeyRevoked',
  ].filter((d): d is string => typeof d === 'string');
  return differences.length ? differences.join('; ') : null;
};

/**
 * A credential is what the signed ApiKeyIssued / ApiKeyRevoked events say,
 * not what a table says: `api_keys` (a read model, writable by the runtime
 * role) only tells which key a token digest belongs to. A row is trusted
 * only when its key's stream holds (chain, and every event signed by an
 * accepted key: whoever holds only database credentials cannot sign) and
 * the row's name, role, facilities, token digest and revocation are exactly
 * those of the events. Judged when rows are loaded or change, never per request.
 */
export const judgeKeyRows = async (audit: EventLogAudit, rows: readonly KeyRow[], manager?: EntityManager): Promise<CredentialJudgement[]> => {
  const judged: CredentialJudgement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
    const batch = rows.slice(i, i + ROWS_PER_BATCH);
    const verified = await audit.readVerifiedStreams(
      batch.map((r) => apiKeyStreamId(r.key_id)),
      manager,
    );
    for (const row of batch) {
      const problem = judge(row, verified);
      judged.push({
        keyId: row.key_id,
        problem,
        principal: problem === null && !row.revoked_at ? { keyId: row.key_id, name: row.name, role: row.role, facilityIds: [...row.facility_ids] } : null,
      });
    }
  }
  return judged;
};
