import { fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import {
  at,
  attach,
  destroy,
  domainErrorOf,
  iso,
  lock,
  lockThrough,
  LotHistory,
  nucleicAcidTest,
  recall,
  registered,
  scan,
  sellable,
  splitInto,
  splitLot,
  STORE,
  unlock,
  unlockThrough,
  OTHER_STORE,
} from '../testing/lot-fixtures';
import { LotDerived, LotEvent } from './lot.events';
import { evolveLot, initialLotState, LotState } from './lot.state';
import { toLotEvent } from './lot.upcast';

/** What a v1 LotLocked / LotUnlocked looked like in the store, before `ancestor` existed. */
const V1_LOCKED = { reason: 'regulator hold', source: 'REGULATOR', documentNumber: null, lockedAt: iso(1) } as const;
const V1_UNLOCKED = { reason: 'hold lifted', unlockedAt: iso(2) } as const;

/** Read events back as the event store does: through toLotEvent. */
const reread = (events: readonly LotEvent[]): LotEvent[] => events.map((e) => toLotEvent(e.type, e.schemaVersion, JSON.parse(JSON.stringify(e.data))));
const stateOf = (events: readonly LotEvent[]): LotState => fold(evolveLot, initialLotState(), events);

describe('toLotEvent (reading stored events back)', () => {
  it('upcasts a v1 LotLocked to v2 with ancestor null', () => {
    expect(toLotEvent('LotLocked', 1, { ...V1_LOCKED })).toStrictEqual({
      type: 'LotLocked',
      schemaVersion: 2,
      data: { ...V1_LOCKED, ancestor: null },
    });
  });

  it('upcasts a v1 LotUnlocked to v2 with ancestor null', () => {
    expect(toLotEvent('LotUnlocked', 1, { ...V1_UNLOCKED })).toStrictEqual({
      type: 'LotUnlocked',
      schemaVersion: 2,
      data: { ...V1_UNLOCKED, ancestor: null },
    });
  });

  it('a stored v1 lock folds exactly like the v2 lock the decider decides today: the lot own lock', () => {
    const v2 = registered().run(lock('regulator hold'), at(1));
    const v1 = [...registered().events, toLotEvent('LotLocked', 1, { ...V1_LOCKED })];
    expect(stateOf(v1)).toEqual(v2.state);
    expect(stateOf(v1).lock).toEqual(V1_LOCKED);
    expect(stateOf(v1).ancestorLocks).toEqual([]);
  });

  it('a stored v1 unlock folds exactly like the v2 unlock: the own lock is lifted', () => {
    const v2 = registered().run(lock('regulator hold'), at(1)).run(unlock('hold lifted'), at(2));
    const v1 = [...registered().events, toLotEvent('LotLocked', 1, { ...V1_LOCKED }), toLotEvent('LotUnlocked', 1, { ...V1_UNLOCKED })];
    expect(stateOf(v1)).toEqual(v2.state);
    expect(stateOf(v1).lock).toBeNull();
  });

  it('a v1 unlock lifts only the own lock, not the locks of ancestors', () => {
    const h = registered().run(lockThrough('CT-ANCESTOR'), at(1));
    const state = stateOf([...h.events, toLotEvent('LotLocked', 1, { ...V1_LOCKED }), toLotEvent('LotUnlocked', 1, { ...V1_UNLOCKED })]);
    expect(state.lock).toBeNull();
    expect(state.ancestorLocks).toEqual([{ ancestor: 'CT-ANCESTOR', reason: 'lot CT-ANCESTOR is locked', lockedAt: iso(1) }]);
  });

  it('passes current events through unchanged (v2 locks with an ancestor included)', () => {
    expect(toLotEvent('LotLocked', 2, { ...V1_LOCKED, ancestor: 'CT-ANCESTOR' })).toStrictEqual({
      type: 'LotLocked',
      schemaVersion: 2,
      data: { ...V1_LOCKED, ancestor: 'CT-ANCESTOR' },
    });
    expect(toLotEvent('LotUnlocked', 2, { ...V1_UNLOCKED, ancestor: null })).toStrictEqual({
      type: 'LotUnlocked',
      schemaVersion: 2,
      data: { ...V1_UNLOCKED, ancestor: null },
    });
  });

  describe('LotDerived before v3: one origin country and one importer', () => {
    /** A v2 LotDerived as the store holds it (fields other than the origins as v3 has them). */
    const v2Derived = (kind: 'SPLIT' | 'MERGE', originCountry: string, importer: string) => {
      const { parent, children } = splitInto(sellable(), splitLot([{ traceCode: 'CT-CHILD', quantity: 5 }], iso(9)), at(9));
      void parent;
      const { originCountries: _c, importers: _i, ...rest } = (children[0].events[0] as LotDerived).data;
      return { ...rest, kind, originCountry, importer };
    };

    it('a split child v2: its one country and importer become one-entry lists', () => {
      const event = toLotEvent('LotDerived', 2, v2Derived('SPLIT', 'BR', 'Harbour Foods Ltd'));
      expect(event.schemaVersion).toBe(3);
      expect(event.data).toMatchObject({ originCountries: ['BR'], importers: ['Harbour Foods Ltd'] });
      expect(event.data).not.toHaveProperty('originCountry');
      expect(event.data).not.toHaveProperty('importer');
    });

    it('a mixed merge v2: the comma-joined countries split back; a joined importer stays one entry (a name may hold a comma)', () => {
      const event = toLotEvent('LotDerived', 2, v2Derived('MERGE', 'BR,AR', 'Harbour Foods, Ltd,Quay Imports'));
      expect(event.data).toMatchObject({ originCountries: ['BR', 'AR'], importers: ['Harbour Foods, Ltd,Quay Imports'] });
    });

    it('a v1 LotDerived goes through both steps: violation ids, then origin lists', () => {
      const v1 = {
        ...v2Derived('SPLIT', 'BR', 'Harbour Foods Ltd'),
        violations: [{ kind: 'CENTRAL_WAREHOUSE_BYPASSED', facilityId: 'WS-1', message: 'skipped', occurredAt: iso(3) }],
      };
      const event = toLotEvent('LotDerived', 1, v1);
      expect(event.schemaVersion).toBe(3);
      expect(event.data).toMatchObject({
        originCountries: ['BR'],
        importers: ['Harbour Foods Ltd'],
        violations: [{ id: `WS-1.${iso(3)}.CENTRAL_WAREHOUSE_BYPASSED`, status: 'OPEN', scanId: null }],
      });
    });
  });

  it('every event the domain decides reads back as itself and folds to the same state', () => {
    const journey: LotHistory = sellable()
      .run(attach(nucleicAcidTest('POSITIVE', { number: 'NAT-002', issuedAt: iso(8) })), at(8.5))
      .run(attach(nucleicAcidTest('NEGATIVE', { number: 'NAT-003', issuedAt: iso(8.5) })), at(8.55))
      .run(unlock(), at(8.6))
      .run(lockThrough('CT-ANCESTOR'), at(8.7))
      .run(unlockThrough('CT-ANCESTOR'), at(8.8))
      .run(scan('STORE', STORE, iso(9), { zoneId: 'rs-general', temperatureC: -3 }), at(9))
      .run(scan('STORE', STORE, iso(9.5), { zoneId: 'rs-sales' }), at(9.5))
      .run(scan('SELL', STORE, iso(10), { quantity: 1 }), at(10))
      .run(scan('SAMPLE', OTHER_STORE, iso(11)), at(11));
    const { parent, children } = splitInto(journey.run(recall(), at(13)), splitLot([{ traceCode: 'CT-CHILD', quantity: 5 }], iso(13)), at(13));
    const all = [...parent.run(destroy(), at(14)).events, ...children[0].events];
    const types = new Set(all.map((e) => e.type));
    expect(types.size).toBeGreaterThanOrEqual(15);
    expect(reread(all)).toStrictEqual(all);
    expect(stateOf(reread(parent.events))).toEqual(parent.state);
    expect(stateOf(reread(children[0].events))).toEqual(children[0].state);
  });

  describe('refuses what it cannot read: UNKNOWN_EVENT', () => {
    it.each<[string, number]>([
      ['LotTeleported', 1],
      ['lotlocked', 1],
      ['', 1],
      ['LotLocked', 3],
      ['LotLocked', 0],
      ['LotUnlocked', 3],
      ['LotRegistered', 2],
      ['LotSplit', 2],
      ['LotDerived', 4],
      ['LotRecalled', 2],
      ['ComplianceFlagRaised', 3],
      ['DocumentAttached', 3],
      ['ViolationResolved', 2],
    ])('%j v%d', (type, version) => {
      const error = domainErrorOf(() => toLotEvent(type, version, { reason: 'x' }));
      expect([error.code, error.kind]).toEqual(['UNKNOWN_EVENT', 'invalid']);
      expect(error.message).toBe(`cannot read lot event ${type} v${version}`);
    });

    it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])(
      'a type named like a member of Object.prototype (%j) is unknown too, not a crash',
      (type) => {
        let thrown: unknown;
        try {
          toLotEvent(type, 1, { reason: 'x' });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DomainError);
        expect(thrown instanceof DomainError ? thrown.code : thrown).toBe('UNKNOWN_EVENT');
      },
    );

    it.each<[string, unknown]>([
      ['null', null],
      ['a string', 'LotLocked'],
      ['a number', 42],
    ])('data that is %s', (_what, data) => {
      const error = domainErrorOf(() => toLotEvent('LotLocked', 1, data));
      expect([error.code, error.message]).toEqual(['UNKNOWN_EVENT', 'lot event LotLocked has no data']);
    });
  });
});
