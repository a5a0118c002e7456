import { mayBeTold, maySeeLot, type Principal } from '@app/domain';

/** The `type` of a delivery that carries an EPCIS query subscription's events. */
export const EPCIS_DELIVERY = 'epcis.query';

/**
 * May this key receive a delivery of `type` about a lot at, from or heading
 * to these facilities, concerning `facilityId`? An EPCIS query's events:
 * what the key may read (as the export answers it); a notification: what it
 * may be told (mayBeTold). Judged at the fan-out and again at each attempt,
 * with the key as it stands then.
 */
export const mayReceive = (principal: Principal, type: string, facilityId: string | null, lotFacilities: readonly string[]): boolean =>
  type === EPCIS_DELIVERY ? maySeeLot(principal, lotFacilities) : mayBeTold(principal, facilityId, lotFacilities);
