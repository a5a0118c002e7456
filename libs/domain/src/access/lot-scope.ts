import { DomainError, notFound } from '../shared/domain-error';
import { judge } from '../lot/custody-timeline';
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

/** The hint every LOT_NOT_FOUND carries; it fits an out-of-reach lot as well, so it tells nothing. */
const REGISTER_HINT = 'register it with POST /api/lots';

/**
 * What a write on a lot the caller may not act on answers: exactly what an
 * unknown trace code answers (the same code, message and details), so a
 * refusal never tells another firm that the lot exists. `traceCode` is named
 * where the command names several lots (a merge's parents).
 */
export const lotNotFound = (traceCode?: string): DomainError =>
  traceCode === undefined
    ? notFound('LOT_NOT_FOUND', `no lot with this trace code is registered (or it is not in your key's reach); ${REGISTER_HINT}`)
    : notFound('LOT_NOT_FOUND', `no lot ${traceCode} is registered (or it is not in your key's reach); ${REGISTER_HINT}`, { traceCode });

/** Where the lot stood at `at` on its own timeline: who held it then, or where it was heading (and from where). */
export const whereaboutsAt = (state: LotState, at: string): { heldAt: string | null; headingTo: string | null; comingFrom: string | null } => {
  if (!state.origin) return { heldAt: null, headingTo: null, comingFrom: null };
  // The usual case, a scan dated after every other: the timeline as it stands now.
  const judged =
    state.judged && at >= (state.lastMovementAt ?? state.origin.at)
      ? state.judged
      : judge(state.origin, state.movements.filter((m) => m.occurredAt <= at), false);
  return { heldAt: judged.custody?.facilityId ?? null, headingTo: judged.inTransit?.toFacilityId ?? null, comingFrom: judged.inTransit?.fromFacilityId ?? null };
};

/**
 * May this credential write on the lot at `at` (a scan's, split's or
 * merge's own time)? An operator acts on a lot that, at that moment of the
 * lot's timeline, was held at one of its facilities or on its way to one of
 * them: a late upload from a facility that held the lot then still counts, a
 * STORE uploaded before its RECEIVE counts at the destination, and a scan
 * dated now by a firm the lot never reached does not. A lot that turns up
 * where it was not sent is reported as a sighting, not scanned.
 */
export const mayActOnLot = (principal: Principal, state: LotState, at: string): boolean => {
  switch (principal.role) {
    case 'REGULATOR':
    case 'INSPECTOR':
      return true;
    case 'OPERATOR': {
      const { heldAt, headingTo } = whereaboutsAt(state, at);
      return (heldAt !== null && principal.facilityIds.includes(heldAt)) || (headingTo !== null && principal.facilityIds.includes(headingTo));
    }
    case 'ADMIN':
      return false;
  }
};

/**
 * The facility a credential logs a lot's temperatures from, for readings up
 * to `at`: an operator's facility that held the lot then, or (in transit,
 * the truck's logger) the one that dispatched it or the one it was heading
 * to. null for a regulator or inspector. A lot the caller may not log for is
 * refused as unknown, like any write it may not make.
 */
export const loggingFacility = (principal: Principal, state: LotState, at: string): string | null => {
  if (principal.role === 'REGULATOR' || principal.role === 'INSPECTOR' || !state.registered) return null;
  const { heldAt, headingTo, comingFrom } = whereaboutsAt(state, at);
  const mine = principal.role === 'OPERATOR' ? principal.facilityIds : [];
  const facility = [heldAt, comingFrom, headingTo].find((f) => f !== null && mine.includes(f));
  if (facility === undefined || facility === null) throw lotNotFound();
  return facility;
};

/** A registered lot the caller may not act on at `at` is refused as unknown (`lotNotFound(traceCode)`); unknown lots are left to the domain, which answers the same. */
export const requireActsOnLot = (principal: Principal, state: LotState, at: string, traceCode?: string): void => {
  if (state.registered && !mayActOnLot(principal, state, at)) throw lotNotFound(traceCode);
};

/**
 * May this credential be told of something that happened to a lot and
 * concerns `facilityId` (its holder, a dispatch's destination, where a
 * violation was scanned)? Only what it may read (maySeeLot); an operator
 * only of what concerns one of its own facilities: a store hears of the lots
 * it holds, not of every lot that once passed through it.
 */
export const mayBeTold = (principal: Principal, facilityId: string | null, lotFacilities: readonly string[]): boolean =>
  maySeeLot(principal, lotFacilities) && (principal.role !== 'OPERATOR' || (facilityId !== null && principal.facilityIds.includes(facilityId)));
