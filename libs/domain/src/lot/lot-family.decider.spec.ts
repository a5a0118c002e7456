import { Principal } from '../access/access.types';
import { givenLots } from '../testing/given-lots';
import { FacilityRef } from '../facility/facility.types';
import {
  at,
  atMarket,
  atWarehouse,
  destroy,
  MARKET,
  OTHER_STORE,
  scan,
  truck,
  fullPapers,
  iso,
  nucleicAcidTest,
  registered,
  registeredAs,
  splitInto,
  splitLot,
  STORE,
  TRACE_CODE,
  WAREHOUSE,
  withPapers,
} from '../testing/lot-fixtures';
import { LotEvent } from './lot.events';
import { ScanAction } from './lot.types';
import { DEFAULT_TEMPERATURE_RULES } from './temperature.rules';
import { lotsRead } from './lot-family.decider';
import { lotDecider } from './lot.decider';
import { decideMerge, deriveSplitChildren } from './lot.genealogy';
import { initialLotState } from './lot.state';

const regulatorOf = (): Principal => ({ keyId: 'r', name: 'regulator', role: 'REGULATOR', facilityIds: [] });
const operatorAt = (...facilityIds: string[]): Principal => ({ keyId: 'o', name: 'operator', role: 'OPERATOR', facilityIds });

/** A parent at the warehouse split into A and B (10 KG each); A split again into A1. */
const family = () => {
  const parent = atWarehouse();
  const first = splitInto(parent, splitLot([{ traceCode: 'A', quantity: 10 }, { traceCode: 'B', quantity: 10 }], iso(4)), at(4));
  const second = splitInto(first.children[0], splitLot([{ traceCode: 'A1', quantity: 4 }], iso(5), 'SPLIT-2'), at(5));
  return { [TRACE_CODE]: first.parent, A: second.parent, B: first.children[1], A1: second.children[0] };
};

describe('decideLots: every lot command over the lots it reads', () => {
  describe('SplitLot', () => {
    it('decides the parent\'s LotSplit and each child\'s LotDerived, in one decision', () => {
      const parent = atWarehouse();
      const split = { splitId: 'S-1', children: [{ traceCode: 'A', quantity: 30 }, { traceCode: 'B', quantity: 20 }], occurredAt: iso(4) };
      const lotSplit: LotEvent = { type: 'LotSplit', schemaVersion: 1, data: { ...split, facilityId: WAREHOUSE.id } };
      const [derivedA, derivedB] = deriveSplitChildren(parent.state, { ...split, facilityId: WAREHOUSE.id });
      givenLots({ [TRACE_CODE]: parent })
        .when({ type: 'SplitLot', traceCode: TRACE_CODE, data: split, by: operatorAt(WAREHOUSE.id) }, at(4))
        .then({ [TRACE_CODE]: [lotSplit], A: [derivedA], B: [derivedB] }, { remaining: 50 });
    });

    it('refuses a child code already taken: LOT_EXISTS', () => {
      givenLots({ [TRACE_CODE]: atWarehouse(), B: registeredAs('B') })
        .when({ type: 'SplitLot', traceCode: TRACE_CODE, data: { splitId: 'S-1', children: [{ traceCode: 'B', quantity: 1 }], occurredAt: iso(4) }, by: regulatorOf() }, at(4))
        .thenThrows('LOT_EXISTS');
    });

    it('refuses an operator splitting a lot held elsewhere as it refuses an unknown one: LOT_NOT_FOUND', () => {
      givenLots({ [TRACE_CODE]: atWarehouse() })
        .when({ type: 'SplitLot', traceCode: TRACE_CODE, data: { splitId: 'S-1', children: [{ traceCode: 'A', quantity: 1 }], occurredAt: iso(4) }, by: operatorAt(STORE.id) }, at(4))
        .thenThrows('LOT_NOT_FOUND');
    });
  });

  describe('MergeLots', () => {
    it('decides a LotMerged on each parent and the LotDerived of the new lot (as decideMerge does), with what each parent keeps', () => {
      const a = atWarehouse(withPapers(registeredAs('P1'), fullPapers(), 1));
      const b = atWarehouse(withPapers(registeredAs('P2'), fullPapers(), 1));
      const data = { mergeId: 'M-1', traceCode: 'M', facility: WAREHOUSE, occurredAt: iso(4), parents: [{ traceCode: 'P1', quantity: 5 }, { traceCode: 'P2', quantity: 7 }] };
      const expected = decideMerge(
        { ...data, parents: [{ portion: data.parents[0], state: a.state }, { portion: data.parents[1], state: b.state }] },
        initialLotState(),
        at(4),
      );
      givenLots({ P1: a, P2: b })
        .when({ type: 'MergeLots', data, by: operatorAt(WAREHOUSE.id) }, at(4))
        .then(
          { P1: expected.parents[0].events, P2: expected.parents[1].events, M: expected.child },
          { quantity: 12, parents: [{ traceCode: 'P1', quantity: 5, remaining: 95 }, { traceCode: 'P2', quantity: 7, remaining: 93 }] },
        );
    });
  });

  describe('a regulator\'s action reaches every descendant', () => {
    it('RecallLot: the lot and every descendant, each its own LotRecalled', () => {
      const lots = family();
      const recalled = (tc: string, holder: string): LotEvent => ({
        type: 'LotRecalled',
        schemaVersion: 1,
        data: { recallId: 'R-1', origin: 'A', reason: 'supplier recall', source: 'REGULATOR', recalledAt: iso(6), holderFacilityId: holder },
      });
      givenLots(lots)
        .when({ type: 'RecallLot', traceCode: 'A', recallId: 'R-1', reason: 'supplier recall', descendants: ['A1'] }, at(6))
        .then({ A: [recalled('A', WAREHOUSE.id)], A1: [recalled('A1', WAREHOUSE.id)] }, { recallId: 'R-1' });
    });

    it('LockLot then UnlockLot: the lot\'s own lock, and the same lock through it on each descendant', () => {
      const lots = family();
      const locked = givenLots(lots)
        .when({ type: 'LockLot', traceCode: TRACE_CODE, reason: 'hold', descendants: ['A', 'B', 'A1'] }, at(6))
        .then(
          {
            [TRACE_CODE]: [{ type: 'LotLocked', schemaVersion: 2, data: { reason: 'hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(6), ancestor: null } }],
            A: [{ type: 'LotLocked', schemaVersion: 2, data: { reason: 'hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(6), ancestor: TRACE_CODE } }],
            B: [{ type: 'LotLocked', schemaVersion: 2, data: { reason: 'hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(6), ancestor: TRACE_CODE } }],
            A1: [{ type: 'LotLocked', schemaVersion: 2, data: { reason: 'hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(6), ancestor: TRACE_CODE } }],
          },
          { locked: true },
        );
      const after = Object.fromEntries(Object.entries(lots).map(([tc, h]) => [tc, h.append(locked.lots.find((l) => l.traceCode === tc)!.events)]));
      // A's lock is its ancestor's: unlocking A itself is refused; unlocking the root lifts it everywhere.
      givenLots(after).when({ type: 'UnlockLot', traceCode: 'A', reason: 'A cleared', descendants: ['A1'] }, at(7)).thenThrows('LOT_NOT_LOCKED');
      givenLots(after)
        .when({ type: 'UnlockLot', traceCode: TRACE_CODE, reason: 'cleared', descendants: ['A', 'B', 'A1'] }, at(7))
        .then(
          {
            [TRACE_CODE]: [{ type: 'LotUnlocked', schemaVersion: 2, data: { reason: 'cleared', unlockedAt: iso(7), ancestor: null } }],
            A: [{ type: 'LotUnlocked', schemaVersion: 2, data: { reason: 'cleared', unlockedAt: iso(7), ancestor: TRACE_CODE } }],
            B: [{ type: 'LotUnlocked', schemaVersion: 2, data: { reason: 'cleared', unlockedAt: iso(7), ancestor: TRACE_CODE } }],
            A1: [{ type: 'LotUnlocked', schemaVersion: 2, data: { reason: 'cleared', unlockedAt: iso(7), ancestor: TRACE_CODE } }],
          },
          { locked: false },
        );
    });
  });

  describe('a POSITIVE test recalls the whole batch', () => {
    it('locks the lot, reaches its descendants without a valid test, and recalls every lot of the batch (siblings and cousins)', () => {
      // No papers anywhere: the test reaches A1 through A.
      const root = atWarehouse(registered());
      const first = splitInto(root, splitLot([{ traceCode: 'A', quantity: 10 }, { traceCode: 'B', quantity: 10 }], iso(4)), at(4));
      const second = splitInto(first.children[0], splitLot([{ traceCode: 'A1', quantity: 4 }], iso(5), 'SPLIT-2'), at(5));
      const lots = { [TRACE_CODE]: first.parent, A: second.parent, B: first.children[1], A1: second.children[0] };
      const test = nucleicAcidTest('POSITIVE', { number: 'NAT-POS', issuedAt: iso(5), validUntil: null });
      const recalled = (holder: string): LotEvent => ({
        type: 'LotRecalled',
        schemaVersion: 1,
        data: { recallId: 'R-POS', origin: 'A', reason: 'nucleic-acid test NAT-POS of lot A is POSITIVE', source: 'POSITIVE_TEST', recalledAt: iso(6), holderFacilityId: holder },
      });
      givenLots(lots)
        .when(
          {
            type: 'AttachDocument',
            traceCode: 'A',
            data: { document: test },
            descendants: [{ traceCode: 'A1', viaParent: 'A' }],
            batch: [TRACE_CODE, 'A', 'B', 'A1'],
            recallId: 'R-POS',
          },
          at(6),
        )
        .then(
          {
            A: [
              { type: 'DocumentAttached', schemaVersion: 2, data: { document: test, attachedAt: iso(6), source: null } },
              {
                type: 'LotLocked',
                schemaVersion: 2,
                data: { reason: 'nucleic-acid test NAT-POS is POSITIVE', source: 'POSITIVE_TEST', documentNumber: 'NAT-POS', lockedAt: iso(6), ancestor: null },
              },
              recalled(WAREHOUSE.id),
            ],
            A1: [{ type: 'DocumentAttached', schemaVersion: 2, data: { document: test, attachedAt: iso(6), source: { traceCode: 'A', viaParent: 'A' } } }, recalled(WAREHOUSE.id)],
            [TRACE_CODE]: [recalled(WAREHOUSE.id)],
            B: [recalled(WAREHOUSE.id)],
          },
          { locked: true, documentReached: 1, recall: { recallId: 'R-POS', lotsRecalled: 4 } },
        );
    });

    it('the same POSITIVE test sent again decides nothing anywhere', () => {
      const lot = registered();
      const test = nucleicAcidTest('POSITIVE', { number: 'NAT-POS', issuedAt: iso(1), validUntil: null });
      const command = { type: 'AttachDocument' as const, traceCode: TRACE_CODE, data: { document: test }, descendants: [], batch: [TRACE_CODE], recallId: 'R-1' };
      const first = givenLots({ [TRACE_CODE]: lot }).when(command, at(2)).then({
        [TRACE_CODE]: lotDecider
          .decide({ type: 'AttachDocument', data: { document: test } }, lot.state, at(2))
          .concat([
            {
              type: 'LotRecalled',
              schemaVersion: 1,
              data: { recallId: 'R-1', origin: TRACE_CODE, reason: `nucleic-acid test NAT-POS of lot ${TRACE_CODE} is POSITIVE`, source: 'POSITIVE_TEST', recalledAt: iso(2), holderFacilityId: lot.state.custody!.facilityId },
            },
          ]),
      });
      const after = lot.append(first.lots[0].events);
      givenLots({ [TRACE_CODE]: after }).when({ ...command, recallId: 'R-2' }, at(3)).then({ [TRACE_CODE]: [] }, { locked: true, documentReached: 0, recall: null });
    });
  });

  describe('ResolveViolation', () => {
    it('reaches every descendant that inherited the violation, each naming the ancestor', () => {
      const stray = atWarehouse().run(
        { type: 'RecordScan', data: { ...scanCommand('stray'), facility: STORE, zoneId: null } },
        at(3.5),
      );
      const { parent, children } = splitInto(stray, splitLot([{ traceCode: 'C', quantity: 1 }], iso(4)), at(4));
      givenLots({ [TRACE_CODE]: parent, C: children[0] })
        .when({ type: 'ResolveViolation', traceCode: TRACE_CODE, data: { violationId: 'stray.CUSTODY_GAP', reason: 'reviewed', correction: null }, descendants: ['C'] }, at(5))
        .then(
          {
            [TRACE_CODE]: [{ type: 'ViolationResolved', schemaVersion: 1, data: { violationId: 'stray.CUSTODY_GAP', reason: 'reviewed', resolvedAt: iso(5), inheritedFrom: null } }],
            C: [{ type: 'ViolationResolved', schemaVersion: 1, data: { violationId: 'stray.CUSTODY_GAP', reason: 'reviewed', resolvedAt: iso(5), inheritedFrom: TRACE_CODE } }],
          },
          { correctionId: null },
        );
    });
  });

  describe('a key acts only on lots at, or on their way to, its facilities, judged at the command\'s own time', () => {
    const unknown = (command: Parameters<ReturnType<typeof givenLots>['when']>[0]) => givenLots({}).when(command, at(9)).thenThrows('LOT_NOT_FOUND');
    const scanBy = (by: Principal, action: ScanAction, facility: FacilityRef, hour: number, options: { to?: FacilityRef; zoneId?: string; quantity?: number } = {}) => ({
      type: 'RecordScan' as const,
      traceCode: TRACE_CODE,
      by,
      data: scan(action, facility, iso(hour), { vehicle: truck(), ...options }).data,
    });

    it('another firm scanning at its own store is answered exactly as for an unknown code, and nothing is decided', () => {
      const command = scanBy(operatorAt(OTHER_STORE.id), 'RECEIVE', OTHER_STORE, 8, { zoneId: 'rs2-intake' });
      const refused = givenLots({ [TRACE_CODE]: atWarehouse() }).when(command, at(9)).thenThrows('LOT_NOT_FOUND');
      expect({ ...refused, message: refused.message }).toEqual({ ...unknown(command), message: unknown(command).message });
    });

    it('a SELL, a SAMPLE or a DISPATCH by another firm says nothing of the lot (no SALE_BLOCKED, no LOT_DESTROYED)', () => {
      const outsider = operatorAt(OTHER_STORE.id);
      givenLots({ [TRACE_CODE]: atWarehouse() }).when(scanBy(outsider, 'SELL', OTHER_STORE, 8, { quantity: 1 }), at(9)).thenThrows('LOT_NOT_FOUND');
      givenLots({ [TRACE_CODE]: atWarehouse() }).when(scanBy(outsider, 'SAMPLE', OTHER_STORE, 8), at(9)).thenThrows('LOT_NOT_FOUND');
      givenLots({ [TRACE_CODE]: atWarehouse() }).when(scanBy(outsider, 'DISPATCH', OTHER_STORE, 8, { to: STORE }), at(9)).thenThrows('LOT_NOT_FOUND');
      const destroyed = atWarehouse().run(destroy(), at(4));
      givenLots({ [TRACE_CODE]: destroyed }).when(scanBy(outsider, 'SAMPLE', OTHER_STORE, 8), at(9)).thenThrows('LOT_NOT_FOUND');
    });

    it('the holder scans; so does the facility it is on its way to, even a STORE uploaded before its RECEIVE', () => {
      const toMarket = atWarehouse().run(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET, vehicle: truck() }), at(4));
      givenLots({ [TRACE_CODE]: atWarehouse() }).when(scanBy(operatorAt(WAREHOUSE.id), 'SAMPLE', WAREHOUSE, 3.5), at(9)).then({
        [TRACE_CODE]: lotDecider.decide(scan('SAMPLE', WAREHOUSE, iso(3.5), { vehicle: truck() }), atWarehouse().state, at(9)),
      });
      const store = scanBy(operatorAt(MARKET.id), 'STORE', MARKET, 4.5, { zoneId: 'wm-storage' });
      givenLots({ [TRACE_CODE]: toMarket }).when(store, at(9)).then({ [TRACE_CODE]: lotDecider.decide({ type: 'RecordScan', data: store.data }, toMarket.state, at(9)) });
    });

    it('a late upload counts where the lot was then, and only there', () => {
      const atMarketNow = atMarket();
      // The warehouse held it from hour 3 to 4: its SAMPLE dated 3.5, uploaded at hour 9, is its own to record.
      const late = scanBy(operatorAt(WAREHOUSE.id), 'SAMPLE', WAREHOUSE, 3.5);
      givenLots({ [TRACE_CODE]: atMarketNow }).when(late, at(9)).then({ [TRACE_CODE]: lotDecider.decide({ type: 'RecordScan', data: late.data }, atMarketNow.state, at(9)) });
      // Dated now, the warehouse no longer holds it; dated before the dispatch, the market never did.
      givenLots({ [TRACE_CODE]: atMarketNow }).when(scanBy(operatorAt(WAREHOUSE.id), 'SAMPLE', WAREHOUSE, 8.5), at(9)).thenThrows('LOT_NOT_FOUND');
      givenLots({ [TRACE_CODE]: atMarketNow }).when(scanBy(operatorAt(MARKET.id), 'SAMPLE', MARKET, 3.5), at(9)).thenThrows('LOT_NOT_FOUND');
    });

    it('a split by another firm, or a merge naming another firm\'s lot, is refused as for an unknown lot', () => {
      const split = { type: 'SplitLot' as const, traceCode: TRACE_CODE, data: { splitId: 'S-9', children: [{ traceCode: 'X', quantity: 1 }], occurredAt: iso(8) }, by: operatorAt(OTHER_STORE.id) };
      const refused = givenLots({ [TRACE_CODE]: atWarehouse() }).when(split, at(9)).thenThrows('LOT_NOT_FOUND');
      expect([refused.message, refused.details]).toEqual([unknown(split).message, unknown(split).details]);
      // The warehouse's own lot P1 and the market's P2: the warehouse may not repack P2, and is told P2 is unknown.
      const p1 = atWarehouse(withPapers(registeredAs('P1'), fullPapers(), 1));
      const p2 = atMarket(atWarehouse(withPapers(registeredAs('P2'), fullPapers(), 1)));
      const merge = {
        type: 'MergeLots' as const,
        data: { mergeId: 'M-9', traceCode: 'M9', facility: WAREHOUSE, occurredAt: iso(8), parents: [{ traceCode: 'P1', quantity: 1 }, { traceCode: 'P2', quantity: 1 }] },
        by: operatorAt(WAREHOUSE.id),
      };
      const outOfScope = givenLots({ P1: p1, P2: p2 }).when(merge, at(9)).thenThrows('LOT_NOT_FOUND');
      const neverRegistered = givenLots({ P1: p1 }).when(merge, at(9)).thenThrows('LOT_NOT_FOUND');
      expect([outOfScope.message, outOfScope.details]).toEqual([neverRegistered.message, neverRegistered.details]);
    });
  });

  it('reads exactly the lots it names', () => {
    expect(lotsRead({ type: 'SplitLot', traceCode: 'P', data: { splitId: 'S', children: [{ traceCode: 'A', quantity: 1 }], occurredAt: iso(1) }, by: regulatorOf() })).toEqual(['P', 'A']);
    expect(lotsRead({ type: 'RecallLot', traceCode: 'P', recallId: 'R', reason: 'x', descendants: ['A', 'P', 'B'] })).toEqual(['P', 'A', 'B']);
    expect(lotsRead({ type: 'DestroyLot', traceCode: 'P', reason: 'x' })).toEqual(['P']);
  });
});

/** A scan command's fixed fields, for a SAMPLE with this id at hour 3.5. */
const scanCommand = (scanId: string) => ({
  scanId,
  action: 'SAMPLE' as const,
  toFacility: null,
  occurredAt: iso(3.5),
  vehicle: null,
  quantity: null,
  temperatureC: null,
  temperatureRules: DEFAULT_TEMPERATURE_RULES,
});

