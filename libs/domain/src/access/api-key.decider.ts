import { Decider, DomainEvent } from '../shared/decider';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { FacilityRef } from '../facility/facility.types';
import { aRole, Role, ROLES } from './access.types';

export const apiKeyStreamId = (keyId: string) => `apikey-${keyId}`;

/** Operators work at one or more facilities (a supermarket chain: hundreds); a key names at most this many. */
export const MAX_KEY_FACILITIES = 1000;

/**
 * A credential was issued. Only the token's SHA-256 is kept: tokens are 256
 * random bits, so the digest reveals nothing and needs no slow KDF.
 */
export type ApiKeyIssued = DomainEvent<
  'ApiKeyIssued',
  { keyId: string; name: string; role: Role; facilityIds: string[]; tokenSha256: string; issuedAt: string }
>;
export type ApiKeyRevoked = DomainEvent<'ApiKeyRevoked', { keyId: string; revokedAt: string }>;
export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

export interface IssueApiKey {
  readonly type: 'IssueApiKey';
  readonly data: {
    keyId: string;
    name: string;
    role: Role;
    facilityIds: readonly string[];
    /** Those of `facilityIds` that are registered, as the caller found them in the facility streams. */
    registered: readonly FacilityRef[];
    tokenSha256: string;
  };
}
export interface RevokeApiKey {
  readonly type: 'RevokeApiKey';
  readonly data: { keyId: string };
}
export type ApiKeyCommand = IssueApiKey | RevokeApiKey;

export interface ApiKeyState {
  readonly key: {
    readonly keyId: string;
    readonly name: string;
    readonly role: Role;
    readonly facilityIds: readonly string[];
    readonly issuedAt: string;
    readonly revokedAt: string | null;
  } | null;
}

const decideIssue = ({ data: d }: IssueApiKey, state: ApiKeyState, now: Date): ApiKeyEvent[] => {
  if (state.key) throw conflict('KEY_EXISTS', `key ${d.keyId} already exists`, { keyId: d.keyId });
  const name = d.name.trim();
  if (name.length === 0 || name.length > 100) throw invalid('VALIDATION_FAILED', 'name must be 1-100 characters', { field: 'name' });
  if (!ROLES.includes(d.role)) throw invalid('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
  const facilityIds = [...new Set(d.facilityIds)];
  if (d.role === 'OPERATOR' && facilityIds.length === 0) {
    throw invalid('VALIDATION_FAILED', 'an OPERATOR key needs facilityIds: the facilities it works at', { field: 'facilityIds' });
  }
  if (d.role !== 'OPERATOR' && facilityIds.length > 0) {
    throw invalid('VALIDATION_FAILED', `${aRole(d.role)} key is not limited to facilities; facilityIds is only for OPERATOR keys`, {
      field: 'facilityIds',
    });
  }
  if (facilityIds.length > MAX_KEY_FACILITIES) {
    throw invalid('VALIDATION_FAILED', `a key names at most ${MAX_KEY_FACILITIES} facilities`, { field: 'facilityIds' });
  }
  const unknown = facilityIds.find((id) => !d.registered.some((f) => f.id === id));
  if (unknown !== undefined) {
    throw notFound('FACILITY_NOT_FOUND', `no facility ${unknown} is registered`, { field: 'facilityIds', facilityId: unknown });
  }
  if (!/^[0-9a-f]{64}$/.test(d.tokenSha256)) throw invalid('VALIDATION_FAILED', 'tokenSha256 must be a hex SHA-256 digest', { field: 'tokenSha256' });
  return [
    {
      type: 'ApiKeyIssued',
      schemaVersion: 1,
      data: { keyId: d.keyId, name, role: d.role, facilityIds, tokenSha256: d.tokenSha256, issuedAt: now.toISOString() },
    },
  ];
};

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeyState> = {
  initialState: () => ({ key: null }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'ApiKeyIssued': {
        const { keyId, name, role, facilityIds, issuedAt } = event.data;
        return { key: { keyId, name, role, facilityIds: [...facilityIds], issuedAt, revokedAt: null } };
      }
      case 'ApiKeyRevoked':
        return state.key ? { key: { ...state.key, revokedAt: event.data.revokedAt } } : state;
    }
  },

  decide: (command, state, now) => {
    switch (command.type) {
      case 'IssueApiKey':
        return decideIssue(command, state, now);
      case 'RevokeApiKey':
        if (!state.key) throw notFound('KEY_NOT_FOUND', `no key ${command.data.keyId} exists`, { keyId: command.data.keyId });
        // Revoking twice changes nothing: the first revocation stands.
        if (state.key.revokedAt) return [];
        return [{ type: 'ApiKeyRevoked', schemaVersion: 1, data: { keyId: command.data.keyId, revokedAt: now.toISOString() } }];
    }
  },
};

export const toApiKeyEvent = (type: string, schemaVersion: number, data: unknown): ApiKeyEvent => {
  if ((type !== 'ApiKeyIssued' && type !== 'ApiKeyRevoked') || schemaVersion !== 1 || typeof data !== 'object' || data === null) {
    throw invalid('UNKNOWN_EVENT', `cannot read key event ${type} v${schemaVersion}`);
  }
  return { type, schemaVersion, data } as ApiKeyEvent;
};
