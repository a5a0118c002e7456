import { atMarket, atWarehouse, iso, MARKET, PORT, registered, scan, STORE, truck, WAREHOUSE, at, papered } from '../testing/lot-fixtures';
import { initialLotState } from '../lot/lot.state';
import { Principal } from './access.types';
import { lotFacilityIds, lotNotFound, mayActOnLot, mayBeTold, maySeeLot, whereaboutsAt } from './lot-scope';

const operator = (...facilityIds: string[]): Principal => ({ keyId: 'k', name: 'scanner', role: 'OPERATOR', facilityIds });
const role = (r: Principal['role']): Principal => ({ keyId: 'k', name: r.toLowerCase(), role: r, facilityIds: [] });

describe('lot scope', () => {
  const atCw = atWarehouse();
  const toMarket = atCw.run(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET, vehicle: truck() }), at(4));

  it('a lot is at, was at, or is heading to these facilities', () => {
    expect(lotFacilityIds(registered().state)).toEqual([PORT.id]);
    expect(lotFacilityIds(atCw.state)).toEqual([PORT.id, WAREHOUSE.id]);
    expect(lotFacilityIds(toMarket.state).sort()).toEqual([MARKET.id, PORT.id, WAREHOUSE.id].sort());
  });

  it('an operator sees lots its facilities hold, held, or are about to receive, and no others', () => {
    expect(maySeeLot(operator(WAREHOUSE.id), lotFacilityIds(atCw.state))).toBe(true);
    expect(maySeeLot(operator(PORT.id), lotFacilityIds(atCw.state))).toBe(true);
    expect(maySeeLot(operator(MARKET.id), lotFacilityIds(atCw.state))).toBe(false);
    expect(maySeeLot(operator(MARKET.id), lotFacilityIds(toMarket.state))).toBe(true);
    expect(maySeeLot(operator(STORE.id), lotFacilityIds(toMarket.state))).toBe(false);
  });

  it('regulators and inspectors see every lot; an admin sees none', () => {
    expect(maySeeLot(role('REGULATOR'), lotFacilityIds(atCw.state))).toBe(true);
    expect(maySeeLot(role('INSPECTOR'), lotFacilityIds(atCw.state))).toBe(true);
    expect(maySeeLot(role('ADMIN'), lotFacilityIds(atCw.state))).toBe(false);
  });

  it('an operator is told only of what concerns its own facility; a regulator of any lot; an admin of none', () => {
    const lot = lotFacilityIds(toMarket.state);
    expect(mayBeTold(operator(MARKET.id), MARKET.id, lot)).toBe(true);
    // The warehouse handled the lot, but the news is the market's.
    expect(mayBeTold(operator(WAREHOUSE.id), MARKET.id, lot)).toBe(false);
    // A facility of the key's that the lot never reached tells it nothing of the lot.
    expect(mayBeTold(operator(STORE.id), STORE.id, lot)).toBe(false);
    expect(mayBeTold(operator(MARKET.id), null, lot)).toBe(false);
    expect(mayBeTold(role('REGULATOR'), MARKET.id, lot)).toBe(true);
    expect(mayBeTold(role('INSPECTOR'), null, lot)).toBe(true);
    expect(mayBeTold(role('ADMIN'), MARKET.id, lot)).toBe(false);
  });

  it('where the lot stood at any moment of its timeline', () => {
    const market = atMarket();
    expect(whereaboutsAt(market.state, iso(0.5))).toEqual({ heldAt: PORT.id, headingTo: null, comingFrom: null });
    expect(whereaboutsAt(market.state, iso(2.5))).toEqual({ heldAt: null, headingTo: WAREHOUSE.id, comingFrom: PORT.id });
    expect(whereaboutsAt(market.state, iso(3))).toEqual({ heldAt: WAREHOUSE.id, headingTo: null, comingFrom: null });
    expect(whereaboutsAt(market.state, iso(4.5))).toEqual({ heldAt: null, headingTo: MARKET.id, comingFrom: WAREHOUSE.id });
    expect(whereaboutsAt(market.state, iso(40))).toEqual({ heldAt: MARKET.id, headingTo: null, comingFrom: null });
    // Before it entered: where its timeline starts.
    expect(whereaboutsAt(papered().state, iso(-1))).toEqual({ heldAt: PORT.id, headingTo: null, comingFrom: null });
    expect(whereaboutsAt(initialLotState(), iso(1))).toEqual({ heldAt: null, headingTo: null, comingFrom: null });
  });

  it('an operator acts on a lot held at, or on its way to, one of its facilities at that moment', () => {
    const market = atMarket();
    expect(mayActOnLot(operator(WAREHOUSE.id), market.state, iso(3.5))).toBe(true);
    expect(mayActOnLot(operator(WAREHOUSE.id), market.state, iso(6))).toBe(false);
    expect(mayActOnLot(operator(MARKET.id), market.state, iso(4.5))).toBe(true);
    expect(mayActOnLot(operator(MARKET.id), market.state, iso(3.5))).toBe(false);
    expect(mayActOnLot(operator(STORE.id, MARKET.id), market.state, iso(9))).toBe(true);
    expect(mayActOnLot(operator(STORE.id), market.state, iso(9))).toBe(false);
  });

  it('regulators and inspectors act on any lot; an admin on none', () => {
    expect(mayActOnLot(role('REGULATOR'), atCw.state, iso(5))).toBe(true);
    expect(mayActOnLot(role('INSPECTOR'), atCw.state, iso(5))).toBe(true);
    expect(mayActOnLot(role('ADMIN'), atCw.state, iso(5))).toBe(false);
  });

  it('a lot the caller may not act on is refused exactly as an unknown one', () => {
    expect(lotNotFound()).toMatchObject({ code: 'LOT_NOT_FOUND', kind: 'not_found', message: "no lot with this trace code is registered (or it is not in your key's reach); register it with POST /api/lots", details: undefined });
    expect(lotNotFound('P2')).toMatchObject({ code: 'LOT_NOT_FOUND', kind: 'not_found', message: "no lot P2 is registered (or it is not in your key's reach); register it with POST /api/lots", details: { traceCode: 'P2' } });
  });
});
