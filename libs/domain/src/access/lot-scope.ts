import { forbidden } from '../shared/domain-error';
import { LotState } from '../lot/lot.state';
import { Principal } from './access.types';

/** Every facility the lot is at, has been at, or is on its way to. */
export const lotFacilityIds = (state: LotState): string[] => [
  ...new Set([
    ...state.route.map((stop) => stop.facilityId),
    ...(state.custody ? [state.custody.facilityId] : []),
    ...(state.inTransit ? [state.inTransit.fromFacilityId, state.inTransit.toFacilityId] : []),
  ]),
];

/**
 * May this credential read a lot that is, was, or is heading to these
 * facilities (`lotFacilityIds`, kept by the read models)? Regulators and inspectors read any lot;
 * an operator reads lots that are, were, or are heading to one of its
 * facilities (what it handled or is about to receive), and no other firm's.
 */
export const maySeeLot = (principal: Principal, lotFacilities: readonly string[]): boolean => {
  switch (principal.role) {
    case 'REGULATOR':
    case 'INSPECTOR':
      return true;
    case 'OPERATOR': {
      const mine = new Set(principal.facilityIds);
      return lotFacilities.some((f) => mine.has(f));
    }
    case 'ADMIN':
      return false;
  }
};

/**
 * An operator repacks (splits) only lots held at one of its facilities; one
 * in transit to it counts as its own, so the domain can say "receive it first".
 * An unregistered lot is left to the domain (LOT_NOT_FOUND).
 */
export const requireHeldByOperator = (principal: Principal, state: LotState): void => {
  if (principal.role !== 'OPERATOR' || !state.registered) return;
  const at = state.custody?.facilityId ?? state.inTransit?.toFacilityId ?? null;
  if (at === null || !principal.facilityIds.includes(at)) {
    throw forbidden(`key ${principal.name} works at ${principal.facilityIds.join(', ')}; lot ${state.traceCode} is held ${at ? `at ${at}` : 'elsewhere'}`, {
      role: principal.role,
      required: 'the lot held at one of the key\'s facilities',
      facilityIds: [...principal.facilityIds],
    });
  }
};
