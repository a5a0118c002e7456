import type { Principal } from '@app/domain';
import type { EntityManager } from 'typeorm';
import { subscriptionNotFound, UUID } from './subscription.view';

/**
 * The id of one of this key's live subscriptions, locked FOR UPDATE when
 * `lock`; 404 SUBSCRIPTION_NOT_FOUND for anything else (not a uuid, another
 * key's, deleted), all alike.
 */
export const ownSubscription = async (m: EntityManager, principal: Principal, id: string, lock = false): Promise<string> => {
  if (!UUID.test(id)) throw subscriptionNotFound(id);
  const rows: unknown[] = await m.query(
    `SELECT 1 FROM webhook_subscriptions WHERE id = $1 AND key_id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    [id, principal.keyId],
  );
  if (rows.length === 0) throw subscriptionNotFound(id);
  return id;
};
