import { at, atMarket, atStoreIntake, destroy, iso, lock, logTemperatures, LotHistory, MARKET, papered, recall, scan, sellable, STORE, truck, unlock, WAREHOUSE, atWarehouse, registered } from '../testing/lot-fixtures';
import { lotNotifications, LotNotification } from './lot-notifications';

/** Given a lot's history, when `step` is decided at `hour`: the notifications each of its events raises, in order. */
const notified = (h: LotHistory, step: (h: LotHistory) => LotHistory, hour: number): LotNotification[] => {
  const next = step(h);
  const out: LotNotification[] = [];
  let state = h;
  for (const event of next.events.slice(h.events.length)) {
    const after = state.append([event]);
    out.push(...lotNotifications(event, state.state, after.state, at(hour)));
    state = after;
  }
  return out;
};

const kinds = (ns: readonly LotNotification[]) => ns.map((n) => [n.kind, n.facilityId]);

describe('lotNotifications: what a lot event tells the people concerned', () => {
  it('a recall of a lot a store holds tells that store: the lot, the unsold quantity, the recall; and that it may no longer be sold', () => {
    const ns = notified(sellable(), (h) => h.run(recall({ recallId: 'RC-9' }), at(9)), 9);
    expect(kinds(ns)).toEqual([
      ['lot.recalled', STORE.id],
      ['lot.sale_blocked', STORE.id],
    ]);
    expect(ns[0].data).toMatchObject({ traceCode: 'CT-2022-0001', facilityId: STORE.id, recallId: 'RC-9', unsoldQuantity: 100, unit: 'KG' });
    expect(ns[1].data).toMatchObject({ reasons: ['LOT_RECALLED'] });
  });

  it('a lock and its release tell the holder; the lock also blocks the sale, the release tells nothing more', () => {
    const locked = sellable().run(lock(), at(9));
    expect(kinds(notified(sellable(), (h) => h.run(lock(), at(9)), 9))).toEqual([
      ['lot.locked', STORE.id],
      ['lot.sale_blocked', STORE.id],
    ]);
    expect(kinds(notified(locked, (h) => h.run(unlock(), at(10)), 10))).toEqual([['lot.unlocked', STORE.id]]);
  });

  it('a lot locked while in transit tells where it is heading', () => {
    const moving = atMarket().run(scan('DISPATCH', MARKET, iso(6), { to: STORE, vehicle: truck() }), at(6));
    expect(kinds(notified(moving, (h) => h.run(lock(), at(6.5)), 6.5))).toEqual([['lot.locked', STORE.id]]);
  });

  it('a dispatch tells its destination; arriving at a store not sellable (still in intake) tells the store once', () => {
    const dispatched = notified(atMarket(), (h) => h.run(scan('DISPATCH', MARKET, iso(6), { to: STORE, vehicle: truck() }), at(6)), 6);
    expect(kinds(dispatched)).toEqual([['lot.dispatched_to_you', STORE.id]]);
    expect(dispatched[0].data).toMatchObject({ fromFacilityId: MARKET.id, quantity: 100, unit: 'KG', dispatchedAt: iso(6) });
    const moving = atMarket().run(scan('DISPATCH', MARKET, iso(6), { to: STORE, vehicle: truck() }), at(6));
    const arrived = notified(moving, (h) => h.run(scan('RECEIVE', STORE, iso(7), { zoneId: 'rs-intake' }), at(7)), 7);
    expect(kinds(arrived)).toEqual([['lot.sale_blocked', STORE.id]]);
    // Moved to the sales zone: sellable, nothing to tell.
    expect(notified(atStoreIntake(), (h) => h.run(scan('STORE', STORE, iso(8), { zoneId: 'rs-sales' }), at(8)), 8)).toEqual([]);
  });

  it('a violation tells where it was scanned; a lot nowhere near a store tells no store', () => {
    // Received at the warehouse without ever being dispatched there: a custody gap, a violation.
    const ns = notified(papered(), (h) => h.run(scan('RECEIVE', WAREHOUSE, iso(3), { zoneId: 'cw-intake', vehicle: truck() }), at(3)), 3);
    expect(ns.filter((n) => n.kind === 'violation.recorded').map((n) => n.facilityId)).toContain(WAREHOUSE.id);
    expect(ns.some((n) => n.kind === 'lot.sale_blocked')).toBe(false);
  });

  it('a destroyed lot tells its holder, and is no sale to block', () => {
    expect(kinds(notified(atWarehouse(), (h) => h.run(destroy(), at(4)), 4))).toEqual([['lot.destroyed', WAREHOUSE.id]]);
  });

  it('a temperature excursion tells the holder, an abuse too (held) and the store that the sale is blocked; a gap tells no one', () => {
    const ns = notified(sellable(), (h) => h.run(logTemperatures(1, 60, (i) => (i >= 10 && i < 46 ? -5 : -20)), at(9)), 9);
    expect(kinds(ns)).toEqual([
      ['lot.temperature_excursion', STORE.id],
      ['lot.temperature_excursion', STORE.id],
      ['lot.sale_blocked', STORE.id],
    ]);
    expect(ns[1].data).toMatchObject({ kind: 'ABUSE', held: true, minutes: 180, extremeCelsius: -5, violationId: expect.stringMatching(/\.TEMPERATURE_ABUSE$/) });
    const gap = notified(sellable(), (h) => h.run(logTemperatures(1, 2, () => -20, { uploadId: 'UP-A' }), at(9)).run(logTemperatures(5, 2, () => -20, { uploadId: 'UP-B', log: [{ deviceId: 'reefer-1', at: iso(1), celsius: -20 }, { deviceId: 'reefer-1', at: new Date(at(1).getTime() + 300_000).toISOString(), celsius: -20 }] }), at(9)), 9);
    expect(gap).toEqual([]);
  });

  it('registering a lot tells no one', () => {
    expect(lotNotifications(registered().events[0], registered().state, registered().state, at(0))).toEqual([]);
  });
});
