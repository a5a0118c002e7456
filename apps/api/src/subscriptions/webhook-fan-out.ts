import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { evolveLot, initialLotState, isLotStreamId, LotEvent, lotFacilityIds, lotNotifications, LotState, NotificationKind, Principal, toLotEvent, traceCodeOfStream } from '@app/domain';
import { FoldedStates, StateCache, StoredEvent } from '@app/event-store';
import type { UploadReadings } from '@app/read-models';
import { epcisEventMatcher, EpcisEventFilters } from '../epcis/epcis-filters';
import { EpcisEvent, toEpcisEvents } from '../epcis/epcis-mapping';
import { epcisQueryDocument } from '../epcis/epcis-query-document';
import { EPCIS_DELIVERY, mayReceive } from './delivery-scope';

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
  TemperatureFindingRecorded: 'lot.temperature_excursion',
};

/** What an EPCIS query subscription keeps in `query`. */
export interface EpcisSubscriptionQuery {
  readonly queryName: string;
  readonly filters: EpcisEventFilters;
  readonly reportIfEmpty: boolean;
}

/** A subscription as the fan-out matches it: a webhook's kinds and filters, or an EPCIS query's filters. */
export interface Listener {
  readonly id: string;
  readonly keyId: string;
  readonly events: ReadonlySet<string>;
  readonly facilityIds: ReadonlySet<string> | null;
  /** Only notifications about these lots (`query.traceCodes`). */
  readonly traceCodes: ReadonlySet<string> | null;
  /** An EPCIS query subscription: the exported events it wants (null: a webhook subscription). */
  readonly epcis: { readonly queryName: string; readonly matches: (e: EpcisEvent) => boolean } | null;
  /** Replaying: only events after this position (the backfill's own bound). */
  readonly after: number;
}

export interface ListenerRow {
  id: string;
  kind: 'webhook' | 'epcis';
  key_id: string;
  events: string[];
  facility_ids: string[] | null;
  query: ({ traceCodes?: string[] } & Partial<EpcisSubscriptionQuery>) | null;
}

export const LISTENER_COLUMNS = `id, kind, key_id, events, facility_ids, query`;

export const listenerOf = (r: ListenerRow, after = 0): Listener => ({
  id: r.id,
  keyId: r.key_id,
  events: new Set(r.events),
  facilityIds: r.facility_ids === null ? null : new Set(r.facility_ids),
  traceCodes: r.query?.traceCodes ? new Set(r.query.traceCodes) : null,
  epcis: r.kind === 'epcis' && r.query?.filters ? { queryName: r.query.queryName ?? 'SimpleEventQuery', matches: epcisEventMatcher(r.query.filters) } : null,
  after,
});

/** One recorded lot event with the lot's state just before and after it. */
interface Seen {
  readonly event: StoredEvent;
  readonly lotEvent: LotEvent;
  readonly before: LotState;
  readonly after: LotState;
  readonly lotFacilities: readonly string[];
}

/** The Standard Webhooks message id of a notification: the same for every retry, and for a redelivered event. */
const webhookIdOf = (event: StoredEvent, kind: string): string => `msg_${event.eventId}_${kind}`;

type Row = [id: string, subscription: string, webhookId: string, type: string, body: string, traceCode: string, facilityId: string | null, lotFacilities: string, position: number];

const pgTextArray = (values: readonly string[]): string => `{${values.map((f) => JSON.stringify(f)).join(',')}}`;

/**
 * Turns recorded events into deliveries: for webhook subscriptions each lot
 * event's notifications (lotNotifications, from the lot's state just before
 * and after it, folded through the process's StateCache); for EPCIS query
 * subscriptions the event as the EPCIS export writes it, when it passes the
 * query's filters. Only for listeners whose key may receive it
 * (mayReceive). Rows are written with the caller's transaction (the
 * fan-out's checkpoint moves in the same one); one per listener and webhook
 * id, so an event handled twice adds nothing.
 */
export class WebhookFanOut {
  private readonly states: FoldedStates<LotState>;

  constructor(
    cache: StateCache,
    private readonly principalOf: (keyId: string) => Promise<Principal | null>,
    private readonly timeZoneOffset: string,
    /** An upload's readings (temperature_uploads, written in its event's transaction): its EPCIS event carries them. */
    private readonly readingsOf: (uploadIds: readonly string[], manager: EntityManager) => Promise<ReadonlyMap<string, UploadReadings>>,
  ) {
    this.states = cache.of<LotState>({ initial: initialLotState, evolve: (s, e) => evolveLot(s, toLotEvent(e.type, e.schemaVersion, e.data)) });
  }

  /** Writes the deliveries these events owe these listeners; resolves to how many. */
  async fanOut(events: readonly StoredEvent[], listeners: readonly Listener[], manager: EntityManager): Promise<number> {
    if (listeners.length === 0) return 0;
    const wanted = new Set(listeners.flatMap((l) => [...l.events]));
    const everyEvent = wanted.has('lot.sale_blocked') || listeners.some((l) => l.epcis !== null);
    const seen = await this.seen(events, (e) => everyEvent || wanted.has(RAISES[e.type] ?? ''), manager);
    if (seen.length === 0) return 0;
    const principals = new Map<string, Principal | null>();
    for (const l of listeners) if (!principals.has(l.keyId)) principals.set(l.keyId, await this.principalOf(l.keyId));
    const rows: Row[] = [];
    const now = new Date();
    const epcisWanted = listeners.some((l) => l.epcis !== null);
    const uploads = epcisWanted
      ? await this.readingsOf(seen.flatMap((s) => (s.lotEvent.type === 'TemperaturesRecorded' ? [s.lotEvent.data.uploadId] : [])), manager)
      : new Map<string, UploadReadings>();
    for (const s of seen) {
      const traceCode = s.after.traceCode ?? traceCodeOfStream(s.event.streamId);
      const notifications = wanted.size === 0 ? [] : lotNotifications(s.lotEvent, s.before, s.after, new Date(s.event.recordedAt)).filter((n) => wanted.has(n.kind));
      let exported: EpcisEvent[] | null = null;
      for (const l of listeners) {
        if (s.event.globalPosition <= l.after) continue;
        const principal = principals.get(l.keyId);
        if (!principal) continue;
        if (l.epcis) {
          if (!mayReceive(principal, EPCIS_DELIVERY, null, s.lotFacilities)) continue;
          const readings = s.lotEvent.type === 'TemperaturesRecorded' ? uploads.get(s.lotEvent.data.uploadId) : undefined;
          exported ??= s.after.quantity
            ? toEpcisEvents({ ...s.event, traceCode, unit: s.after.quantity.unit, ...(readings ? { readings } : {}) }, { timeZoneOffset: this.timeZoneOffset })
            : [];
          const kept = exported.filter(l.epcis.matches);
          if (kept.length === 0) continue;
          const document = epcisQueryDocument(kept, now, { queryName: l.epcis.queryName, subscriptionID: l.id });
          rows.push([randomUUID(), l.id, webhookIdOf(s.event, 'epcis'), EPCIS_DELIVERY, JSON.stringify(document), traceCode, null, pgTextArray(s.lotFacilities), s.event.globalPosition]);
          continue;
        }
        for (const n of notifications) {
          if (!l.events.has(n.kind)) continue;
          if (l.facilityIds !== null && (n.facilityId === null || !l.facilityIds.has(n.facilityId))) continue;
          if (l.traceCodes !== null && !l.traceCodes.has(n.traceCode)) continue;
          if (!mayReceive(principal, n.kind, n.facilityId, s.lotFacilities)) continue;
          const body = { type: n.kind, timestamp: new Date(s.event.recordedAt).toISOString(), data: n.data };
          rows.push([randomUUID(), l.id, webhookIdOf(s.event, n.kind), n.kind, JSON.stringify(body), n.traceCode, n.facilityId, pgTextArray(s.lotFacilities), s.event.globalPosition]);
        }
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
   * The lot events `wanted` of these, each with the lot's state before and
   * after it: each lot with such an event is folded from just before its
   * first event here (the batch holds a lot's events in version order, none
   * missing between).
   */
  private async seen(events: readonly StoredEvent[], wanted: (e: StoredEvent) => boolean, manager: EntityManager): Promise<Seen[]> {
    const byLot = new Map<string, StoredEvent[]>();
    for (const e of events) {
      if (!isLotStreamId(e.streamId)) continue;
      const list = byLot.get(e.streamId);
      if (list) list.push(e);
      else byLot.set(e.streamId, [e]);
    }
    const lots = [...byLot].filter(([, list]) => list.some(wanted));
    if (lots.length === 0) return [];
    for (const [, list] of lots) list.sort((a, b) => a.version - b.version);
    const starts = await this.states.load(
      manager,
      lots.map(([streamId, list]) => ({ streamId, upTo: list[0].version - 1 })),
    );
    const out: Seen[] = [];
    for (const [streamId, list] of lots) {
      let state = starts.get(streamId)!.state;
      for (const e of list) {
        const lotEvent = toLotEvent(e.type, e.schemaVersion, e.data);
        const after = evolveLot(state, lotEvent);
        if (wanted(e)) out.push({ event: e, lotEvent, before: state, after, lotFacilities: lotFacilityIds(after) });
        state = after;
      }
    }
    return out;
  }
}
