import { given } from '../testing/given-when-then';
import {
  at,
  atMarket,
  atWarehouse,
  destroy,
  iso,
  lock,
  lockThrough,
  LotHistory,
  MARKET,
  papered,
  PORT,
  reasonCodesOf,
  recall,
  registered,
  scan,
  scanFacts,
  sellable,
  splitLot,
  STORE,
  TRACE_CODE,
  truck,
  unlock,
  WAREHOUSE,
} from '../testing/lot-fixtures';
import { SingleLotCommand, RecallLot } from './lot.commands';
import { lotDecider } from './lot.decider';
import { LotEvent } from './lot.events';
import { lotStatus } from './eligibility-facts';
import { lockReasons, saleEligibility } from './sale-eligibility.policy';

const when = (h: LotHistory) => given(lotDecider, h.events);

const recalled = (data: RecallLot['data'], recalledAt: string, holderFacilityId: string | null): LotEvent => ({
  type: 'LotRecalled',
  schemaVersion: 1,
  data: { ...data, recalledAt, holderFacilityId },
});

/** Dispatched from the port (hour 2) towards the central warehouse, not received yet. */
const inTransitToWarehouse = (): LotHistory => papered().run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, vehicle: truck() }), at(2));

describe('RecallLot', () => {
  it('recalls the lot where it is held: LotRecalled with the holder, stamped with now', () => {
    when(sellable())
      .when(recall(), at(9))
      .then([recalled(recall().data, iso(9), STORE.id)]);
  });

  it('a lot in transit is recalled at its destination', () => {
    when(inTransitToWarehouse())
      .when(recall(), at(2.5))
      .then([recalled(recall().data, iso(2.5), WAREHOUSE.id)]);
  });

  it('records where the recall started and why: a positive test of another lot', () => {
    const command = recall({ recallId: 'RC-9', origin: 'CT-2022-0900', reason: 'batch sample tested positive', source: 'POSITIVE_TEST' });
    when(atMarket())
      .when(command, at(6))
      .then([recalled({ recallId: 'RC-9', origin: 'CT-2022-0900', reason: 'batch sample tested positive', source: 'POSITIVE_TEST' }, iso(6), MARKET.id)]);
  });

  it('is idempotent by recallId: the same recall again decides nothing, even with another reason', () => {
    const h = sellable().run(recall(), at(9));
    when(h).when(recall(), at(10)).then([]);
    when(h).when(recall({ reason: 'said differently' }), at(10)).then([]);
  });

  it('another recall is recorded next to the first', () => {
    const h = sellable().run(recall(), at(9));
    when(h)
      .when(recall({ recallId: 'RC-2' }), at(10))
      .then([recalled(recall({ recallId: 'RC-2' }).data, iso(10), STORE.id)]);
    expect(h.run(recall({ recallId: 'RC-2' }), at(10)).state.recalls.map((r) => r.recallId)).toEqual(['RC-1', 'RC-2']);
  });

  it('blocks a sale with LOT_RECALLED naming the recall and the lot it started from', () => {
    const h = sellable().run(recall({ recallId: 'RC-5', origin: 'CT-2022-0900', reason: 'batch sample tested positive', source: 'POSITIVE_TEST' }), at(9));
    expect(saleEligibility(h.state, at(10))).toEqual({
      allowed: false,
      reasons: [
        {
          code: 'LOT_RECALLED',
          message: `recalled (recall RC-5, POSITIVE_TEST) at ${iso(9)} because of lot CT-2022-0900: batch sample tested positive`,
        },
      ],
    });
    const error = when(h).when(scan('SELL', STORE, iso(10), { zoneId: 'rs-sales', quantity: 1 }), at(10)).thenThrows('SALE_BLOCKED');
    expect(reasonCodesOf(error)).toEqual(['LOT_RECALLED']);
  });

  it('each recall is a reason of its own', () => {
    const h = sellable().run(recall(), at(9)).run(recall({ recallId: 'RC-2', reason: 'second finding' }), at(10));
    expect(lockReasons(h.state)).toEqual([
      { code: 'LOT_RECALLED', message: `recalled (recall RC-1, REGULATOR) at ${iso(9)} because of lot ${TRACE_CODE}: positive sample on the packaging` },
      { code: 'LOT_RECALLED', message: `recalled (recall RC-2, REGULATOR) at ${iso(10)} because of lot ${TRACE_CODE}: second finding` },
    ]);
  });

  it('gives the lot the status RECALLED, above a lock', () => {
    const h = sellable().run(recall(), at(9));
    expect(lotStatus(h.state)).toBe('RECALLED');
    expect(lotStatus(h.run(lock(), at(10)).state)).toBe('RECALLED');
  });

  it('a recalled lot may not move, not even out of the port: DISPATCH is TRADE_BLOCKED with LOT_RECALLED', () => {
    const error = when(papered().run(recall(), at(1)))
      .when(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, vehicle: truck() }), at(2))
      .thenThrows('TRADE_BLOCKED');
    expect(error.kind).toBe('rule');
    expect(error.details?.['reasons']).toEqual([
      { code: 'LOT_RECALLED', message: `recalled (recall RC-1, REGULATOR) at ${iso(1)} because of lot ${TRACE_CODE}: positive sample on the packaging` },
    ]);
  });

  it('a recalled lot out of a central warehouse: TRADE_BLOCKED with LOT_RECALLED', () => {
    const error = when(atWarehouse().run(recall(), at(3.5)))
      .when(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET, vehicle: truck() }), at(4))
      .thenThrows('TRADE_BLOCKED');
    expect(reasonCodesOf(error)).toEqual(['LOT_RECALLED']);
  });

  it('a recalled lot still in transit is received where it arrives (scans are facts)', () => {
    when(inTransitToWarehouse().run(recall(), at(2.5)))
      .when(scan('RECEIVE', WAREHOUSE, iso(3), { scanId: 'r1', zoneId: 'cw-intake', vehicle: truck() }), at(3))
      .then([
        {
          type: 'LotReceived',
          schemaVersion: 1,
          data: { ...scanFacts('r1', WAREHOUSE, 'cw-intake', 'DEDICATED_INTAKE', iso(3)), fromFacilityId: PORT.id, vehicle: truck() },
        },
      ]);
  });
});

describe('DestroyLot', () => {
  it('destroys the lot where it is held: LotDestroyed with the holder, stamped with now', () => {
    when(atWarehouse())
      .when(destroy('incinerated after a positive test'), at(4))
      .then([
        {
          type: 'LotDestroyed',
          schemaVersion: 1,
          data: { reason: 'incinerated after a positive test', destroyedAt: iso(4), holderFacilityId: WAREHOUSE.id },
        },
      ]);
  });

  it('a lot in transit is destroyed at its destination', () => {
    when(inTransitToWarehouse())
      .when(destroy(), at(2.5))
      .then([{ type: 'LotDestroyed', schemaVersion: 1, data: { reason: 'incinerated under supervision', destroyedAt: iso(2.5), holderFacilityId: WAREHOUSE.id } }]);
  });

  it('a lot destroyed once cannot be destroyed again: LOT_ALREADY_DESTROYED', () => {
    const error = when(atWarehouse().run(destroy(), at(4))).when(destroy('again'), at(5)).thenThrows('LOT_ALREADY_DESTROYED');
    expect(error.kind).toBe('conflict');
  });

  it('blocks with LOT_DESTROYED, naming when and why', () => {
    const h = sellable().run(destroy(), at(9));
    expect(saleEligibility(h.state, at(10))).toEqual({
      allowed: false,
      reasons: [{ code: 'LOT_DESTROYED', message: `destroyed at ${iso(9)}: incinerated under supervision` }],
    });
  });

  it('gives the lot the status DESTROYED, above a recall and a lock', () => {
    expect(lotStatus(atWarehouse().run(destroy(), at(4)).state)).toBe('DESTROYED');
    const everything = atWarehouse().run(lock(), at(4)).run(recall(), at(4)).run(destroy(), at(5));
    expect(lotStatus(everything.state)).toBe('DESTROYED');
  });

  it.each<[string, (h: LotHistory) => SingleLotCommand]>([
    ['RECEIVE', () => scan('RECEIVE', WAREHOUSE, iso(5), { zoneId: 'cw-intake' })],
    ['STORE', () => scan('STORE', WAREHOUSE, iso(5), { zoneId: 'cw-storage' })],
    ['DISINFECT', () => scan('DISINFECT', WAREHOUSE, iso(5))],
    ['SAMPLE', () => scan('SAMPLE', WAREHOUSE, iso(5))],
    ['DISPATCH', () => scan('DISPATCH', WAREHOUSE, iso(5), { to: MARKET, vehicle: truck() })],
    ['SELL', () => scan('SELL', WAREHOUSE, iso(5), { quantity: 1 })],
    ['SplitLot', () => splitLot([{ traceCode: 'CT-CHILD', quantity: 1 }], iso(5))],
  ])('a destroyed lot refuses %s: LOT_DESTROYED', (_action, command) => {
    const h = atWarehouse().run(destroy(), at(4));
    const error = when(h).when(command(h), at(5)).thenThrows('LOT_DESTROYED');
    expect(error.kind).toBe('rule');
    expect(error.message).toBe(`the lot was destroyed at ${iso(4)}: incinerated under supervision`);
  });
});

describe('lotStatus', () => {
  it.each<[string, () => LotHistory, ReturnType<typeof lotStatus>]>([
    ['registered at the port', () => registered(), 'HELD'],
    ['in transit', () => inTransitToWarehouse(), 'IN_TRANSIT'],
    ['locked by a regulator', () => atWarehouse().run(lock(), at(4)), 'LOCKED'],
    ['locked only through an ancestor', () => atWarehouse().run(lockThrough('CT-ANCESTOR'), at(4)), 'LOCKED'],
    ['locked while in transit', () => inTransitToWarehouse().run(lock(), at(2.5)), 'LOCKED'],
    ['unlocked again', () => atWarehouse().run(lock(), at(4)).run(unlock(), at(5)), 'HELD'],
    ['sold out', () => sellable().run(scan('SELL', STORE, iso(9), { quantity: 100 }), at(9)), 'SOLD_OUT'],
    ['recalled', () => atWarehouse().run(recall(), at(4)), 'RECALLED'],
    ['recalled after it sold out', () => sellable().run(scan('SELL', STORE, iso(9), { quantity: 100 }), at(9)).run(recall(), at(10)), 'RECALLED'],
    ['destroyed', () => atWarehouse().run(destroy(), at(4)), 'DESTROYED'],
  ])('a lot %s is %s', (_what, h, status) => {
    expect(lotStatus(h().state)).toBe(status);
  });
});
