import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../common/http/request-context';

/**
 * The caller of a key change made without a key: the first start (no ADMIN
 * key yet) or the offline keys CLI. Recorded as such in the events' metadata.
 */
export const systemContext = (keyId: 'system:first-start' | 'system:keys-cli', name: string): RequestContext => ({
  principal: { keyId, name, role: 'ADMIN', facilityIds: [] },
  correlationId: randomUUID(),
});
