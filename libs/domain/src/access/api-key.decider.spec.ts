import { given, history } from '../testing/given-when-then';
import { at, iso, PORT, WAREHOUSE } from '../testing/lot-fixtures';
import { apiKeyDecider, ApiKeyEvent, IssueApiKey, MAX_KEY_FACILITIES, toApiKeyEvent } from './api-key.decider';

const DIGEST = 'a'.repeat(64);

const issue = (overrides: Partial<IssueApiKey['data']> = {}): IssueApiKey => ({
  type: 'IssueApiKey',
  data: { keyId: 'k-1', name: 'scanner-7', role: 'OPERATOR', facilityIds: [WAREHOUSE.id], registered: [WAREHOUSE, PORT], tokenSha256: DIGEST, ...overrides },
});
const revoke = { type: 'RevokeApiKey' as const, data: { keyId: 'k-1' } };
const issued = (): ApiKeyEvent[] => [...history(apiKeyDecider).run(issue(), at(0)).events];

describe('apiKeyDecider', () => {
  describe('IssueApiKey', () => {
    it('issues an operator key for its facilities, keeping only the token digest', () => {
      given(apiKeyDecider)
        .when(issue({ facilityIds: [WAREHOUSE.id, PORT.id, WAREHOUSE.id] }), at(0))
        .then([
          {
            type: 'ApiKeyIssued',
            schemaVersion: 1,
            data: { keyId: 'k-1', name: 'scanner-7', role: 'OPERATOR', facilityIds: [WAREHOUSE.id, PORT.id], tokenSha256: DIGEST, issuedAt: iso(0) },
          },
        ]);
    });

    it.each(['ADMIN', 'INSPECTOR', 'REGULATOR'] as const)('issues a %s key with no facilities', (role) => {
      const [event] = given(apiKeyDecider).when(issue({ role, facilityIds: [] }), at(1)).then([
        { type: 'ApiKeyIssued', schemaVersion: 1, data: { keyId: 'k-1', name: 'scanner-7', role, facilityIds: [], tokenSha256: DIGEST, issuedAt: iso(1) } },
      ]);
      expect(event.type).toBe('ApiKeyIssued');
    });

    it('refuses an operator key without facilities', () => {
      given(apiKeyDecider).when(issue({ facilityIds: [] }), at(0)).thenThrows('VALIDATION_FAILED', { field: 'facilityIds' });
    });

    it('refuses facilities on a key that is not an operator\'s, before asking whether they exist', () => {
      given(apiKeyDecider).when(issue({ role: 'REGULATOR' }), at(0)).thenThrows('VALIDATION_FAILED', { field: 'facilityIds' });
      given(apiKeyDecider).when(issue({ role: 'REGULATOR', facilityIds: ['nowhere'], registered: [] }), at(0)).thenThrows('VALIDATION_FAILED');
    });

    it('refuses a facility that is not registered: FACILITY_NOT_FOUND', () => {
      given(apiKeyDecider)
        .when(issue({ facilityIds: [WAREHOUSE.id, 'nowhere'] }), at(0))
        .thenThrows('FACILITY_NOT_FOUND', { field: 'facilityIds', facilityId: 'nowhere' });
    });

    it(`refuses more than ${MAX_KEY_FACILITIES} facilities`, () => {
      const many = Array.from({ length: MAX_KEY_FACILITIES + 1 }, (_, i) => ({ ...WAREHOUSE, id: `cw-${i}` }));
      given(apiKeyDecider).when(issue({ facilityIds: many.map((f) => f.id), registered: many }), at(0)).thenThrows('VALIDATION_FAILED', { field: 'facilityIds' });
    });

    it.each(['', '   ', 'x'.repeat(101)])('refuses the name %j', (name) => {
      given(apiKeyDecider).when(issue({ name }), at(0)).thenThrows('VALIDATION_FAILED', { field: 'name' });
    });

    it('refuses a digest that is not a SHA-256', () => {
      given(apiKeyDecider).when(issue({ tokenSha256: 'abc' }), at(0)).thenThrows('VALIDATION_FAILED', { field: 'tokenSha256' });
    });

    it('refuses a second issue under the same id: KEY_EXISTS', () => {
      given(apiKeyDecider, issued()).when(issue(), at(1)).thenThrows('KEY_EXISTS', { keyId: 'k-1' });
    });
  });

  describe('RevokeApiKey', () => {
    it('revokes an issued key, stamped with now', () => {
      given(apiKeyDecider, issued()).when(revoke, at(2)).then([{ type: 'ApiKeyRevoked', schemaVersion: 1, data: { keyId: 'k-1', revokedAt: iso(2) } }]);
    });

    it('revoking twice records nothing the second time', () => {
      const h = history(apiKeyDecider, issued()).run(revoke, at(2));
      given(apiKeyDecider, h.events).when(revoke, at(3)).then([]);
      expect(h.state.key?.revokedAt).toBe(iso(2));
    });

    it('refuses an unknown key: KEY_NOT_FOUND', () => {
      given(apiKeyDecider).when(revoke, at(0)).thenThrows('KEY_NOT_FOUND', { keyId: 'k-1' });
    });
  });

  it('reads back only the event types and versions it knows', () => {
    expect(toApiKeyEvent('ApiKeyRevoked', 1, { keyId: 'k', revokedAt: iso(0) }).type).toBe('ApiKeyRevoked');
    expect(() => toApiKeyEvent('ApiKeyRevoked', 2, {})).toThrow('cannot read key event');
    expect(() => toApiKeyEvent('toString', 1, {})).toThrow('cannot read key event');
  });
});
