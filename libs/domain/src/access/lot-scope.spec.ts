import { DomainError } from '../shared/domain-error';
import { atWarehouse, iso, MARKET, papered, PORT, registered, scan, STORE, truck, WAREHOUSE, at, domainErrorOf } from '../testing/lot-fixtures';
import { Principal } from './access.types';
import { lotFacilityIds, maySeeLot, requireHeldByOperator } from './lot-scope';

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

  it('an operator acts only on lots held (or arriving) at its facilities', () => {
    expect(() => requireHeldByOperator(operator(WAREHOUSE.id), atCw.state)).not.toThrow();
    expect(() => requireHeldByOperator(operator(MARKET.id), toMarket.state)).not.toThrow();
    const refused = domainErrorOf(() => requireHeldByOperator(operator(PORT.id), atCw.state));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', kind: 'forbidden' });
    // Other roles and unregistered lots are not this rule's business.
    expect(() => requireHeldByOperator(role('REGULATOR'), papered().state)).not.toThrow();
  });
});
