import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  evolveLot,
  initialLotState,
  isLotStreamId,
  lotFacilityIds,
  LotNotification,
  lotNotifications,
  LotState,
  mayBeTold,
  NotificationKind,
  Principal,
  toLotEvent,
} from '@app/domain';
import { FoldedStates, StateCache, StoredEvent } from '@app/event-store';

/** The checkpoint row of the fan-out (subscription_checkpoints). */
export const WEBHOOKS_SUBSCRIPTION = 'webhooks';

/** Lot events that raise a notification of their own kind; with `lot.sale_blocked` wanted, every lot event may. */
const RAISES: Readonly<Record<string, NotificationKind>> = {
  LotRecalled: 'lot.recalled',
  LotLocked: 'lot.locked',
  LotUnlocked: 'lot.unlocked',
  LotDestroyed: 'lot.destroyed',
  LotDispatched: 'lot.dispatched_to_you',
  TraceViolationRecorded: 'violation.recorded',
};

/** A webhook subscription as the fan-out matches it. */
export interface Listener {
  readonly id: string;
  readonly keyId: string;
  readonly events: ReadonlySet<string>;
  readonly facilityIds: ReadonlySet<string> | null;
  /** Only notifications about these lots (`query.traceCodes`). */
  readonly traceCodes: ReadonlySet<string> | null;
  /** Replaying: only events after this position (the backfill's own bound). */
  readonly after: number;
}

export interface ListenerRow {
  id: string;
  key_id: string;
  events: string[];
  facility_ids: string[] | null;
  query: { traceCodes?: string[] } | null;
}

export const listenerOf = (r: ListenerRow, after = 0): Listener => ({
  id: r.id,
  keyId: r.key_id,
  events: new Set(r.events),
  facilityIds: r.facility_ids === null ? null : new Set(r.facility_ids),
  traceCodes: r.query?.traceCodes ? new Set(r.query.traceCodes) : null,
  after,
});

/** One notification raised by one event, with what the lot's scope was then. */
interface Raised {
  readonly event: StoredEvent;
  readonly notification: LotNotification;
  readonly lotFacilities: readonly string[];
}

/** The Standard Webhooks message id of a notification: the same for every retry, and for a redelivered event. */
const webhookIdOf = (event: StoredEvent, kind: NotificationKind): string => `msg_${event.eventId}_${kind}`;

/**
 * Turns recorded events into webhook deliveries: each lot event's
 * notifications (lotNotifications, from the lot's state just before and
 * after it, folded through the process's StateCache), for every listener
 * that wants its kind and whose key may be told of it (mayBeTold). Rows are
 * written with the caller's transaction (the fan-out's checkpoint moves in
 * the same one); one per listener and webhook id, so an event handled twice
 * adds nothing.
 */
export class WebhookFanOut {
  private readonly states: FoldedStates<LotState>;

  constructor(
    cache: StateCache,
    private readonly principalOf: (keyId: string) => Promise<Principal | null>,
  ) {
    this.states = cache.of<LotState>({ initial: initialLotState, evolve: (s, e) => evolveLot(s, toLotEvent(e.type, e.schemaVersion, e.data)) });
  }

  /** Writes the deliveries these events owe these listeners; resolves to how many. */
  async fanOut(events: readonly StoredEvent[], listeners: readonly Listener[], manager: EntityManager): Promise<number> {
    if (listeners.length === 0) return 0;
    const wanted = new Set(listeners.flatMap((l) => [...l.events]));
    const raised = await this.raised(events, wanted, manager);
    if (raised.length === 0) return 0;
    const principals = new Map<string, Principal | null>();
    for (const l of listeners) if (!principals.has(l.keyId)) principals.set(l.keyId, await this.principalOf(l.keyId));
    const rows: unknown[][] = [];
    for (const r of raised) {
      const n = r.notification;
      for (const l of listeners) {
        if (!l.events.has(n.kind) || r.event.globalPosition <= l.after) continue;
        if (l.facilityIds !== null && (n.facilityId === null || !l.facilityIds.has(n.facilityId))) continue;
        if (l.traceCodes !== null && !l.traceCodes.has(n.traceCode)) continue;
        const principal = principals.get(l.keyId);
        if (!principal || !mayBeTold(principal, n.facilityId, r.lotFacilities)) continue;
        const body = { type: n.kind, timestamp: new Date(r.event.recordedAt).toISOString(), data: n.data };
        rows.push([randomUUID(), l.id, webhookIdOf(r.event, n.kind), n.kind, JSON.stringify(body), n.traceCode, n.facilityId, `{${r.lotFacilities.map((f) => JSON.stringify(f)).join(',')}}`, r.event.globalPosition]);
      }
    }
    if (rows.length === 0) return 0;
    const column = (i: number) => rows.map((row) => row[i]);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, webhook_id, type, body, trace_code, facility_id, lot_facility_ids, event_position, state)
       SELECT id, subscription_id, webhook_id, type, body, trace_code, facility_id, lot_facility_ids::text[], event_position, 'pending'
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::bigint[])
              AS d(id, subscription_id, webhook_id, type, body, trace_code, facility_id, lot_facility_ids, event_position)
       ON CONFLICT (subscription_id, webhook_id) DO NOTHING
       RETURNING 1`,
      [0, 1, 2, 3, 4, 5, 6, 7, 8].map(column),
    );
    return inserted.length;
  }

  /**
   * Every notification of these events of the kinds wanted: each lot with an
   * event that may raise one is folded from just before its first event here
   * (the batch holds a lot's events in version order, none missing between).
   */
  private async raised(events: readonly StoredEvent[], wanted: ReadonlySet<string>, manager: EntityManager): Promise<Raised[]> {
    const everyEvent = wanted.has('lot.sale_blocked');
    const byLot = new Map<string, StoredEvent[]>();
    for (const e of events) {
      if (!isLotStreamId(e.streamId)) continue;
      const list = byLot.get(e.streamId);
      if (list) list.push(e);
      else byLot.set(e.streamId, [e]);
    }
    const lots = [...byLot].filter(([, list]) => list.some((e) => everyEvent || wanted.has(RAISES[e.type] ?? '')));
    if (lots.length === 0) return [];
    for (const [, list] of lots) list.sort((a, b) => a.version - b.version);
    const starts = await this.states.load(
      manager,
      lots.map(([streamId, list]) => ({ streamId, upTo: list[0].version - 1 })),
    );
    const out: Raised[] = [];
    for (const [streamId, list] of lots) {
      let state = starts.get(streamId)!.state;
      for (const e of list) {
        const event = toLotEvent(e.type, e.schemaVersion, e.data);
        const after = evolveLot(state, event);
        if (everyEvent || wanted.has(RAISES[e.type] ?? '')) {
          const lotFacilities = lotFacilityIds(after);
          for (const notification of lotNotifications(event, state, after, new Date(e.recordedAt))) {
            if (wanted.has(notification.kind)) out.push({ event: e, notification, lotFacilities });
          }
        }
        state = after;
      }
    }
    return out;
  }
}
