import { LotEvent } from './lot.events';
import { LotState } from './lot.state';
import { violationId } from './lot.types';
import { saleEligibility } from './sale-eligibility.policy';

/** What a partner may subscribe to (POST /api/subscriptions `events`), as the webhook's `type` names it. */
export const NOTIFICATION_KINDS = [
  'lot.recalled',
  'lot.locked',
  'lot.unlocked',
  'lot.destroyed',
  'lot.sale_blocked',
  'lot.dispatched_to_you',
  'violation.recorded',
  'lot.temperature_excursion',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What one lot event tells the people concerned: the facility whose subscribers hear of it, and what they are told. */
export interface LotNotification {
  readonly kind: NotificationKind;
  readonly traceCode: string;
  /** Whom it concerns: the lot's holder (or where it is heading), a dispatch's destination, where a violation was scanned. */
  readonly facilityId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Where the lot is now: its holder, or where it is heading while in transit. */
const holderOf = (s: LotState): string | null => s.custody?.facilityId ?? s.inTransit?.toFacilityId ?? null;

const unsold = (s: LotState) => ({ unsoldQuantity: s.quantity?.remaining ?? null, unit: s.quantity?.unit ?? null });

/** Held by a retail store and not sellable there at `at`, by the same rule the till asks (saleEligibility). */
const blockedAtStore = (s: LotState, at: Date): string[] | null => {
  if (s.custody?.facilityType !== 'RETAIL_STORE' || s.destroyed) return null;
  const verdict = saleEligibility(s, at);
  return verdict.allowed ? null : verdict.reasons.map((r) => r.code);
};

/**
 * The notifications one recorded lot event raises, from the lot's state just
 * before and just after it, judged at `at` (when it was recorded). A recall
 * tells the holder once per lot; a lot a store holds that stops being
 * sellable there (or arrives there not sellable) tells that store, with the
 * reasons the till would get.
 */
export const lotNotifications = (event: LotEvent, before: LotState, after: LotState, at: Date): LotNotification[] => {
  const traceCode = after.traceCode ?? before.traceCode;
  if (traceCode === null) return [];
  const out: LotNotification[] = [];
  const tell = (kind: NotificationKind, facilityId: string | null, data: Record<string, unknown>) =>
    out.push({ kind, traceCode, facilityId, data: { traceCode, facilityId, ...data } });
  switch (event.type) {
    case 'LotRecalled': {
      const d = event.data;
      tell('lot.recalled', d.holderFacilityId, { recallId: d.recallId, origin: d.origin, reason: d.reason, source: d.source, recalledAt: d.recalledAt, ...unsold(after) });
      break;
    }
    case 'LotLocked': {
      const d = event.data;
      tell('lot.locked', holderOf(after), { reason: d.reason, source: d.source, ancestor: d.ancestor, lockedAt: d.lockedAt, ...unsold(after) });
      break;
    }
    case 'LotUnlocked':
      tell('lot.unlocked', holderOf(after), { reason: event.data.reason, ancestor: event.data.ancestor, unlockedAt: event.data.unlockedAt });
      break;
    case 'LotDestroyed':
      tell('lot.destroyed', event.data.holderFacilityId, { reason: event.data.reason, destroyedAt: event.data.destroyedAt });
      break;
    case 'LotDispatched': {
      const d = event.data;
      tell('lot.dispatched_to_you', d.toFacilityId, {
        fromFacilityId: d.facilityId,
        quantity: d.quantity,
        unit: after.quantity?.unit ?? null,
        vehicle: d.vehicle,
        dispatchedAt: d.occurredAt,
        product: after.product,
      });
      break;
    }
    case 'TemperatureFindingRecorded': {
      // Excursions and abuses, not gaps (a gap is a logger's silence, not the goods warming).
      const d = event.data;
      if (d.kind === 'GAP') break;
      tell('lot.temperature_excursion', holderOf(after), {
        kind: d.kind,
        violationId: d.violationId,
        from: d.from,
        to: d.to,
        minutes: d.minutes,
        extremeCelsius: d.extremeCelsius,
        held: d.kind === 'ABUSE',
        message: d.message,
        uploadId: d.uploadId,
        ...unsold(after),
      });
      break;
    }
    case 'TraceViolationRecorded': {
      const d = event.data;
      tell('violation.recorded', d.facilityId, { violationId: violationId(d.scanId, d.kind), kind: d.kind, message: d.message, occurredAt: d.occurredAt });
      break;
    }
  }
  const blocked = blockedAtStore(after, at);
  const store = after.custody?.facilityId ?? null;
  if (blocked && (before.custody?.facilityId !== store || blockedAtStore(before, at) === null)) {
    tell('lot.sale_blocked', store, { reasons: blocked, ...unsold(after) });
  }
  return out;
};
