import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { decideMerge, LotEvent, LotEventType, QuantityUnit, violationId } from '@app/domain';
import { deepFreeze } from '@app/domain/testing/given-when-then';
import {
  at,
  atWarehouse,
  destroy,
  iso,
  lock,
  logTemperatures,
  LotHistory,
  lotHistory,
  mergeInput,
  OTHER_STORE,
  PORT,
  recall,
  registered,
  registeredAs,
  scan,
  sellable,
  splitInto,
  splitLot,
  STORE,
  TRACE_CODE,
  unlock,
  WAREHOUSE,
} from '@app/domain/testing/lot-fixtures';
import { EPCIS_TYPES_OF, EpcisEvent, StoredLotEvent, toEpcisEvents } from './epcis-mapping';
import { epcisQueryDocument } from './epcis-query-document';

/**
 * given a lot's events (made by the real deciders) / when one is exported /
 * then these EPCIS events. Every event is also checked by GS1's own JSON
 * Schema, inside a query document.
 */

const OPTIONS = deepFreeze({ timeZoneOffset: '+08:00' });
const LOT = `urn:coldtrace:lot:${TRACE_CODE}`;

/** The stored envelope of the nth event of `type` in a history (ids and record times made up, fixed). */
const storedOf = (h: LotHistory, type: LotEventType, options: { nth?: number; traceCode?: string; unit?: QuantityUnit } = {}): StoredLotEvent => {
  const index = h.events.map((e, i) => [e, i] as const).filter(([e]) => e.type === type)[options.nth ?? 0]?.[1];
  if (index === undefined) throw new Error(`no ${type} in the history`);
  return storedEvent(h.events[index], index, options.traceCode ?? TRACE_CODE, options.unit ?? 'KG');
};

const storedEvent = (e: LotEvent, index: number, traceCode: string, unit: QuantityUnit): StoredLotEvent => {
  const data = e.data as { occurredAt?: string; enteredAt?: string };
  const occurredAt = data.occurredAt ?? data.enteredAt ?? iso(index);
  return deepFreeze({
    eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    traceCode,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    occurredAt,
    recordedAt: new Date(Date.parse(occurredAt) + 1000).toISOString(),
    unit,
  });
};

const mapped = new Set<LotEventType>();
const exported = (stored: StoredLotEvent): EpcisEvent[] => {
  const events = toEpcisEvents(stored, OPTIONS);
  mapped.add(stored.type as LotEventType);
  // What the query may skip by type must agree with what the mapping does.
  for (const e of events) expect(EPCIS_TYPES_OF[stored.type as LotEventType]).toContain(e.type);
  if (events.length > 0) expectSchemaValid(events);
  return events;
};

// ---------------------------------------------------------------- GS1's schema

const schemaPath = [resolve(__dirname, '../../../../../shared/epcis/EPCIS-JSON-Schema.json'), resolve(__dirname, 'capture/schema/EPCIS-JSON-Schema.json')].find(
  (p) => existsSync(p),
);
const validate = (() => {
  if (!schemaPath) return null;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
})();

const expectSchemaValid = (events: EpcisEvent[]): void => {
  if (!validate) throw new Error('GS1 EPCIS JSON Schema not found (../shared/epcis or the vendored copy)');
  const document = JSON.parse(JSON.stringify(epcisQueryDocument(events, new Date(at(0)))));
  expect({ valid: validate(document), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
};

const common = (stored: StoredLotEvent) => ({
  eventID: `urn:uuid:${stored.eventId}`,
  eventTime: stored.occurredAt,
  eventTimeZoneOffset: '+08:00',
  recordTime: stored.recordedAt,
});

// ---------------------------------------------------------------- histories

const journey = sellable();
const withTemperature = atWarehouse().run(scan('SAMPLE', WAREHOUSE, iso(3.5), { temperatureC: -18.5, scanId: 'S-T' }), at(3.5));
const sold = journey.run(scan('SELL', STORE, iso(9), { zoneId: 'rs-sales', quantity: 2.5, scanId: 'S-SELL' }), at(9));
const disinfected = atWarehouse().run(scan('DISINFECT', WAREHOUSE, iso(3.5), { scanId: 'S-DIS' }), at(3.5));
const storedInColdRoom = atWarehouse().run(scan('STORE', WAREHOUSE, iso(3.5), { zoneId: 'cw-storage', scanId: 'S-STORE' }), at(3.5));
const locked = journey.run(lock('smells off'), at(9));
const unlocked = locked.run(unlock('lab says fine'), at(10));
const recalled = journey.run(recall(), at(9));
const destroyed = recalled.run(destroy(), at(10));
const split = splitInto(atWarehouse(), splitLot([{ traceCode: 'CHILD-A', quantity: 30 }, { traceCode: 'CHILD-B', quantity: 20 }], iso(3.5)), at(3.5));
const recalledThenSplit = splitInto(atWarehouse().run(recall(), at(3.2)), splitLot([{ traceCode: 'CHILD-R', quantity: 10 }], iso(3.5)), at(3.5));
// A SAMPLE at another store while the warehouse holds the lot: a custody gap; then a regulator resolves it with a correction.
const stray = atWarehouse().run(scan('SAMPLE', OTHER_STORE, iso(3.5), { scanId: 'stray' }), at(3.5));
const resolved = stray.run(
  {
    type: 'ResolveViolation',
    data: { violationId: violationId('stray', 'CUSTODY_GAP'), reason: 'mis-scan', correction: { correctionId: 'C-1', facility: WAREHOUSE, zoneId: 'cw-intake', occurredAt: null } },
  },
  at(4),
);
const flagged = atWarehouse().run(scan('SAMPLE', WAREHOUSE, iso(3.5), { temperatureC: 2, scanId: 'S-HOT' }), at(3.5));

const mergeParents = (): [LotHistory, LotHistory] => [atWarehouse(), atWarehouse(registeredAs('OTHER-1', { originCountry: 'ar', importer: 'Pampas SA' }).run({ type: 'AttachDocument', data: { document: { type: 'CUSTOMS_DECLARATION', number: 'CD-9', issuer: 'Customs', issuedAt: iso(-1), validUntil: null, result: null } } }, at(1)))];
const merge = (() => {
  const [a, b] = mergeParents();
  const decision = decideMerge(mergeInput('MERGED-1', WAREHOUSE, iso(3.5), [[a, 40], [b, 60]]), lotHistory().state, at(3.5));
  return { parentA: a.append(decision.parents[0].events), child: lotHistory(decision.child) };
})();

// ---------------------------------------------------------------- specs

describe('EPCIS mapping (given stored lot events, when exported, then EPCIS 2.0 events GS1\'s schema accepts)', () => {
  afterAll(() => {
    // Every lot event type was exported by some test below.
    expect([...mapped].sort()).toEqual(Object.keys(EPCIS_TYPES_OF).sort());
  });

  it('LotRegistered: ObjectEvent ADD, commissioning, active, the quantity, the port, origin and product as ilmd', () => {
    const stored = storedOf(registered(), 'LotRegistered');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'ADD',
        quantityList: [{ epcClass: LOT, quantity: 100, uom: 'KGM' }],
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: `urn:coldtrace:facility:${PORT.id}` },
        bizLocation: { id: `urn:coldtrace:facility:${PORT.id}` },
        ilmd: {
          'cbvmda:countryOfOrigin': 'BR',
          'coldtrace:productName': 'Frozen beef brisket',
          'coldtrace:productCategory': 'FROZEN',
          'coldtrace:importer': 'Harbour Foods Ltd',
        },
      },
    ]);
    expect(stored.eventId).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('DocumentAttached: inspecting with certificationInfo naming the document; a nucleic-acid test is conformant or not', () => {
    const customs = storedOf(journey, 'DocumentAttached');
    expect(exported(customs)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(customs),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'inspecting',
        certificationInfo: 'urn:coldtrace:document:CUSTOMS_DECLARATION:CD-001',
        'coldtrace:document': { type: 'CUSTOMS_DECLARATION', number: 'CD-001', issuer: 'Customs', issuedAt: iso(-24), validUntil: null, result: null },
      },
    ]);
    const test = storedOf(journey, 'DocumentAttached', { nth: 2 });
    expect(exported(test)).toEqual([expect.objectContaining({ disposition: 'conformant', certificationInfo: 'urn:coldtrace:document:NUCLEIC_ACID_TEST:NAT-001' })]);
  });

  it('DocumentAttached reaching a child from its parent names the parent', () => {
    // Split off before any papers came, so the parent's disinfection certificate is news to the child.
    const child = splitInto(registered(), splitLot([{ traceCode: 'CHILD-A', quantity: 10 }], iso(0.5)), at(0.5)).children[0].run(
      { type: 'ReceiveDocument', data: { document: { type: 'DISINFECTION', number: 'DS 2/9', issuer: 'x', issuedAt: iso(3.6), validUntil: null, result: null }, source: { traceCode: TRACE_CODE, viaParent: null } } },
      at(4),
    );
    const [e] = exported(storedOf(child, 'DocumentAttached', { traceCode: 'CHILD-A' }));
    expect(e).toMatchObject({ certificationInfo: 'urn:coldtrace:document:DISINFECTION:DS%202%2F9', 'coldtrace:documentSource': LOT });
  });

  it('LotDispatched: shipping, in_transit, the lot\'s quantity, source and destination locations, the vehicle and the temperature', () => {
    const h = registered().run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, temperatureC: -19, vehicle: { plate: '沪A-12345', disinfectedAt: iso(1.5) }, scanId: 'S-001' }), at(2));
    const stored = storedOf(h, 'LotDispatched');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT, quantity: 100, uom: 'KGM' }],
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: 'urn:coldtrace:facility:port-1' },
        sourceList: [{ type: 'location', source: 'urn:coldtrace:facility:port-1' }],
        destinationList: [{ type: 'location', destination: 'urn:coldtrace:facility:cw-1' }],
        sensorElementList: [{ sensorMetadata: { time: iso(2) }, sensorReport: [{ type: 'Temperature', value: -19, uom: 'CEL' }] }],
        'coldtrace:scanId': 'S-001',
        'coldtrace:vehicle': { plate: '沪A-12345', disinfectedAt: iso(1.5) },
      },
    ]);
  });

  it('LotReceived: receiving, in_progress, at the zone, from where it was dispatched', () => {
    const stored = storedOf(atWarehouse(), 'LotReceived');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: { id: 'urn:coldtrace:facility:cw-1:zone:cw-intake' },
        bizLocation: { id: 'urn:coldtrace:facility:cw-1:zone:cw-intake' },
        sourceList: [{ type: 'location', source: 'urn:coldtrace:facility:port-1' }],
        destinationList: [{ type: 'location', destination: 'urn:coldtrace:facility:cw-1' }],
        'coldtrace:scanId': expect.any(String),
        'coldtrace:vehicle': { plate: 'SH-A12345', disinfectedAt: iso(-1) },
      },
    ]);
  });

  it('LotStored: storing in a storage zone; stocking, sellable_accessible into a dedicated sales zone', () => {
    const cold = storedOf(storedInColdRoom, 'LotStored');
    expect(exported(cold)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(cold),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'storing',
        readPoint: { id: 'urn:coldtrace:facility:cw-1:zone:cw-storage' },
        bizLocation: { id: 'urn:coldtrace:facility:cw-1:zone:cw-storage' },
        'coldtrace:scanId': 'S-STORE',
      },
    ]);
    const shelf = storedOf(journey, 'LotStored');
    expect(exported(shelf)).toEqual([
      expect.objectContaining({ bizStep: 'stocking', disposition: 'sellable_accessible', bizLocation: { id: 'urn:coldtrace:facility:rs-1:zone:rs-sales' } }),
    ]);
  });

  it('LotSampled: sampling, with the temperature read as sensor data', () => {
    const stored = storedOf(withTemperature, 'LotSampled');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'sampling',
        readPoint: { id: 'urn:coldtrace:facility:cw-1' },
        bizLocation: { id: 'urn:coldtrace:facility:cw-1' },
        sensorElementList: [{ sensorMetadata: { time: iso(3.5) }, sensorReport: [{ type: 'Temperature', value: -18.5, uom: 'CEL' }] }],
        'coldtrace:scanId': 'S-T',
      },
    ]);
  });

  it('LotDisinfected: Coldtrace\'s own bizStep URI', () => {
    const stored = storedOf(disinfected, 'LotDisinfected');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'urn:coldtrace:bizstep:disinfecting',
        readPoint: { id: 'urn:coldtrace:facility:cw-1' },
        bizLocation: { id: 'urn:coldtrace:facility:cw-1' },
        'coldtrace:scanId': 'S-DIS',
      },
    ]);
  });

  it('LotSold: retail_selling, retail_sold, the quantity sold in the lot\'s unit', () => {
    const stored = storedOf(sold, 'LotSold');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT, quantity: 2.5, uom: 'KGM' }],
        bizStep: 'retail_selling',
        disposition: 'retail_sold',
        readPoint: { id: 'urn:coldtrace:facility:rs-1:zone:rs-sales' },
        bizLocation: { id: 'urn:coldtrace:facility:rs-1:zone:rs-sales' },
        'coldtrace:scanId': 'S-SELL',
      },
    ]);
    // Cartons count as CT.
    expect(exported({ ...stored, unit: 'CARTON', data: { ...(stored.data as object), quantity: 3 } })[0]).toMatchObject({ quantityList: [{ epcClass: LOT, quantity: 3, uom: 'CT' }] });
  });

  it('LotSplit: one TransformationEvent, the split id, the portion taken in, each child out', () => {
    const stored = storedOf(split.parent, 'LotSplit');
    expect(exported(stored)).toEqual([
      {
        type: 'TransformationEvent',
        ...common(stored),
        transformationID: 'urn:coldtrace:split:SPLIT-1',
        inputQuantityList: [{ epcClass: LOT, quantity: 50, uom: 'KGM' }],
        outputQuantityList: [
          { epcClass: 'urn:coldtrace:lot:CHILD-A', quantity: 30, uom: 'KGM' },
          { epcClass: 'urn:coldtrace:lot:CHILD-B', quantity: 20, uom: 'KGM' },
        ],
        bizStep: 'repackaging',
        readPoint: { id: 'urn:coldtrace:facility:cw-1' },
        bizLocation: { id: 'urn:coldtrace:facility:cw-1' },
      },
    ]);
  });

  it('LotDerived of a split child: nothing (the parent\'s LotSplit told it), unless it inherits a hold', () => {
    expect(exported(storedOf(split.children[0], 'LotDerived', { traceCode: 'CHILD-A' }))).toEqual([]);
    const child = storedOf(recalledThenSplit.children[0], 'LotDerived', { traceCode: 'CHILD-R' });
    expect(exported(child)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(child),
        action: 'OBSERVE',
        quantityList: [{ epcClass: 'urn:coldtrace:lot:CHILD-R' }],
        bizStep: 'holding',
        disposition: 'recalled',
        persistentDisposition: { set: ['recalled'] },
        bizLocation: { id: 'urn:coldtrace:facility:cw-1' },
      },
    ]);
  });

  it('LotDerived of a merge: one TransformationEvent, the merge id, each parent\'s portion in, the new lot out, every origin', () => {
    const stored = storedOf(merge.child, 'LotDerived', { traceCode: 'MERGED-1' });
    expect(exported(stored)).toEqual([
      {
        type: 'TransformationEvent',
        ...common(stored),
        transformationID: 'urn:coldtrace:merge:MERGE-1',
        inputQuantityList: [
          { epcClass: LOT, quantity: 40, uom: 'KGM' },
          { epcClass: 'urn:coldtrace:lot:OTHER-1', quantity: 60, uom: 'KGM' },
        ],
        outputQuantityList: [{ epcClass: 'urn:coldtrace:lot:MERGED-1', quantity: 100, uom: 'KGM' }],
        bizStep: 'repackaging',
        readPoint: { id: 'urn:coldtrace:facility:cw-1' },
        bizLocation: { id: 'urn:coldtrace:facility:cw-1' },
        ilmd: {
          'cbvmda:countryOfOrigin': ['BR', 'AR'],
          'coldtrace:productName': 'Frozen beef brisket',
          'coldtrace:productCategory': 'FROZEN',
          'coldtrace:importer': ['Harbour Foods Ltd', 'Pampas SA'],
        },
      },
    ]);
  });

  it('LotDerived v2 (one comma-joined origin) is upcast before it is mapped', () => {
    const stored = storedOf(merge.child, 'LotDerived', { traceCode: 'MERGED-1' });
    const { originCountries, importers, ...rest } = stored.data as { originCountries: string[]; importers: string[] };
    const v2 = deepFreeze({ ...stored, schemaVersion: 2, data: { ...rest, originCountry: originCountries.join(','), importer: importers.join(',') } });
    expect(exported(v2)[0]).toMatchObject({ ilmd: { 'cbvmda:countryOfOrigin': ['BR', 'AR'], 'coldtrace:importer': 'Harbour Foods Ltd,Pampas SA' } });
  });

  it('LotMerged on each parent: nothing (the merged lot\'s LotDerived tells the merge once)', () => {
    expect(exported(storedOf(merge.parentA, 'LotMerged'))).toEqual([]);
  });

  it('LotLocked: holding, non_sellable_other set persistently; LotUnlocked unsets it', () => {
    const lockEvent = storedOf(locked, 'LotLocked');
    expect(exported(lockEvent)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(lockEvent),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'holding',
        disposition: 'non_sellable_other',
        persistentDisposition: { set: ['non_sellable_other'] },
        'coldtrace:reason': 'smells off',
      },
    ]);
    const unlockEvent = storedOf(unlocked, 'LotUnlocked');
    expect(exported(unlockEvent)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(unlockEvent),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'holding',
        persistentDisposition: { unset: ['non_sellable_other'] },
        'coldtrace:reason': 'lab says fine',
      },
    ]);
  });

  it('LotLocked v1 (no ancestor) maps as v2; a lock through an ancestor names it', () => {
    const v2 = storedOf(locked, 'LotLocked');
    const { ancestor: _ancestor, ...v1Data } = v2.data as { ancestor: string | null };
    expect(exported(deepFreeze({ ...v2, schemaVersion: 1, data: v1Data }))).toEqual(exported(v2));
    const through = deepFreeze({ ...v2, data: { ...(v2.data as object), ancestor: 'GRANDPA' } });
    expect(exported(through)[0]).toMatchObject({ 'coldtrace:heldThrough': 'urn:coldtrace:lot:GRANDPA' });
  });

  it('LotRecalled: holding, recalled set persistently, where the lot was, the recall id', () => {
    const stored = storedOf(recalled, 'LotRecalled');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'holding',
        disposition: 'recalled',
        persistentDisposition: { set: ['recalled'] },
        bizLocation: { id: 'urn:coldtrace:facility:rs-1' },
        'coldtrace:recallId': 'RC-1',
        'coldtrace:reason': 'positive sample on the packaging',
        'coldtrace:recallOrigin': LOT,
      },
    ]);
  });

  it('LotDestroyed: ObjectEvent DELETE, destroying, destroyed', () => {
    const stored = storedOf(destroyed, 'LotDestroyed');
    expect(exported(stored)).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'DELETE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'destroying',
        disposition: 'destroyed',
        bizLocation: { id: 'urn:coldtrace:facility:rs-1' },
        'coldtrace:reason': 'incinerated under supervision',
      },
    ]);
  });

  it('judgements about the record are not exported: violations, compliance flags, resolutions, custody corrections', () => {
    expect(exported(storedOf(stray, 'TraceViolationRecorded'))).toEqual([]);
    expect(exported(storedOf(flagged, 'ComplianceFlagRaised'))).toEqual([]);
    expect(exported(storedOf(resolved, 'ViolationResolved'))).toEqual([]);
    expect(exported(storedOf(resolved, 'CustodyCorrected'))).toEqual([]);
    const logged = sellable().run(logTemperatures(1, 60, (i) => (i >= 10 && i < 46 ? -5 : -20)), at(9));
    expect(exported(storedOf(logged, 'TemperatureFindingRecorded'))).toEqual([]);
  });

  it('TemperaturesRecorded: ObjectEvent OBSERVE, sensor_reporting, at the facility, the readings as one sensorElement of the device', () => {
    const logged = sellable().run(logTemperatures(1, 3, (i) => -20 + i / 4), at(9));
    const stored = storedOf(logged, 'TemperaturesRecorded');
    const readings = [at(1.25), at(1), at(1 + 1 / 12)].map((t, i) => ({ at: t.toISOString(), celsius: [-19.5, -20, -19.75][i] }));
    expect(exported({ ...stored, readings: [...readings].sort((a, b) => a.at.localeCompare(b.at)) })).toEqual([
      {
        type: 'ObjectEvent',
        ...common(stored),
        action: 'OBSERVE',
        quantityList: [{ epcClass: LOT }],
        bizStep: 'sensor_reporting',
        readPoint: { id: 'urn:coldtrace:facility:rs-1' },
        bizLocation: { id: 'urn:coldtrace:facility:rs-1' },
        sensorElementList: [
          {
            sensorMetadata: { deviceID: 'urn:coldtrace:device:reefer-1' },
            sensorReport: [
              { type: 'Temperature', value: -20, uom: 'CEL', time: iso(1) },
              { type: 'Temperature', value: -19.75, uom: 'CEL', time: at(1 + 1 / 12).toISOString() },
              { type: 'Temperature', value: -19.5, uom: 'CEL', time: at(1.25).toISOString() },
            ],
          },
        ],
      },
    ]);
    // Without a facility (none held the lot for the uploader), no place; a device id that is a URN stays as it is.
    const nowhere = sellable().run(logTemperatures(1, 1, () => -20, { facilityId: null, deviceId: 'urn:epc:id:giai:4000001.111' }), at(9));
    const [event] = exported({ ...storedOf(nowhere, 'TemperaturesRecorded'), readings: [{ at: iso(1), celsius: -20 }] });
    expect(event).not.toHaveProperty('readPoint');
    expect(event).not.toHaveProperty('bizLocation');
    expect(event.sensorElementList).toEqual([{ sensorMetadata: { deviceID: 'urn:epc:id:giai:4000001.111' }, sensorReport: [{ type: 'Temperature', value: -20, uom: 'CEL', time: iso(1) }] }]);
    // The summary alone is not exported as if the device had logged nothing.
    expect(() => toEpcisEvents(stored, OPTIONS)).toThrow(/readings of upload UP-1 were not loaded/);
  });

  it('an unknown event type or version is refused, not guessed', () => {
    const stored = storedOf(registered(), 'LotRegistered');
    expect(() => toEpcisEvents({ ...stored, schemaVersion: 9 }, OPTIONS)).toThrow('cannot read lot event LotRegistered v9');
    expect(() => toEpcisEvents({ ...stored, type: 'LotTeleported' }, OPTIONS)).toThrow('cannot read lot event LotTeleported v1');
  });

  it('the same stored event exports the same EPCIS event (stable eventID)', () => {
    const stored = storedOf(sold, 'LotSold');
    expect(toEpcisEvents(stored, OPTIONS)).toEqual(toEpcisEvents(stored, OPTIONS));
  });
});
