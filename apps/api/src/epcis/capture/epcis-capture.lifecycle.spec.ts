import { deepFreeze } from '@app/domain/testing/given-when-then';
import { documentUrn, facilityUrn, lotClassUrn } from '../epcis-identifiers';
import { captureLine } from './epcis-capture.mapping';

/**
 * given an EPCIS event as a partner's system sends it (frozen: the mapping
 * reads, never writes), when it is captured, then the Coldtrace request it
 * is (the body of the JSON route that does the same), or why it is none.
 */
const given = (event: Record<string, unknown>) => {
  const line = captureLine(deepFreeze(event));
  return {
    thenRequest: (expected: unknown) => expect(line).toEqual({ eventID: event.eventID ?? null, key: expect.any(String), requests: [expected] }),
    thenRefused: (message: RegExp) => expect(line.refused).toEqual({ code: 'EPCIS_NOT_MAPPED', message: expect.stringMatching(message) }),
    thenKey: (key: string) => expect(line.requests && line.key).toBe(key),
  };
};

const LOT = 'BEEF-2026-0001';
const EVENT_ID = 'urn:uuid:0d1c7a52-7f8b-4f0e-8a57-5b0c2b9f0042';
const AT = '2026-11-21T15:10:00.000+08:00';

const objectEvent = (over: Record<string, unknown>): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventID: EVENT_ID,
  eventTime: AT,
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  quantityList: [{ epcClass: lotClassUrn(LOT) }],
  ...over,
});

const commissioning = (over: Record<string, unknown> = {}) =>
  objectEvent({
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    quantityList: [{ epcClass: lotClassUrn(LOT), quantity: 1200, uom: 'KGM' }],
    readPoint: { id: facilityUrn('PORT-SH') },
    bizLocation: { id: facilityUrn('PORT-SH') },
    ilmd: { 'cbvmda:countryOfOrigin': 'BR', 'coldtrace:productName': 'Frozen beef', 'coldtrace:productCategory': 'FROZEN', 'coldtrace:importer': 'Harbour Foods Ltd' },
    ...over,
  });

describe('EPCIS capture mapping: the lifecycle beyond scans', () => {
  describe('ADD + commissioning: a registration', () => {
    it('registers the lot at its bizLocation (the port), entered at eventTime, of the quantity stated, with the product from ilmd', () => {
      given(commissioning()).thenRequest({
        kind: 'register',
        body: {
          traceCode: LOT,
          product: { name: 'Frozen beef', category: 'FROZEN' },
          originCountry: 'BR',
          importer: 'Harbour Foods Ltd',
          quantity: { amount: 1200, unit: 'KG' },
          portOfEntryId: 'PORT-SH',
          enteredAt: AT,
        },
      });
    });

    it("reads CBV's countryOfOrigin bare too, and leaves a missing ilmd field for the route's validation to name", () => {
      const line = captureLine(deepFreeze(commissioning({ ilmd: { countryOfOrigin: 'AR' } })));
      expect(line.requests?.[0]).toMatchObject({ kind: 'register', body: { originCountry: 'AR', product: { name: undefined }, importer: undefined } });
    });

    it('needs a stated quantity, in a unit we record', () => {
      given(commissioning({ quantityList: [{ epcClass: lotClassUrn(LOT) }] })).thenRefused(/states the quantity registered/);
      expect(captureLine(deepFreeze(commissioning({ quantityList: [{ epcClass: lotClassUrn(LOT), quantity: 5, uom: 'LTR' }] }))).refused?.code).toBe('EPCIS_UNIT_MISMATCH');
    });

    it('is idempotent by its eventID', () => {
      given(commissioning()).thenKey(EVENT_ID);
    });
  });

  describe('inspecting + certificationInfo: a document', () => {
    const inspection = (over: Record<string, unknown> = {}) =>
      objectEvent({
        bizStep: 'inspecting',
        certificationInfo: documentUrn('NUCLEIC_ACID_TEST', 'NAT 2026/7'),
        'coldtrace:document': { issuer: 'Shanghai CDC', issuedAt: '2026-11-20T08:00:00.000Z', validUntil: '2026-12-20T08:00:00.000Z' },
        ...over,
      });

    it.each([
      ['conformant', 'NEGATIVE'],
      ['non_conformant', 'POSITIVE'],
      ['https://ref.gs1.org/cbv/Disp-non_conformant', 'POSITIVE'],
    ])('disposition %s is the test result %s', (disposition, result) => {
      given(inspection({ disposition })).thenRequest({
        kind: 'attach',
        traceCode: LOT,
        body: { type: 'NUCLEIC_ACID_TEST', number: 'NAT 2026/7', issuer: 'Shanghai CDC', issuedAt: '2026-11-20T08:00:00.000Z', validUntil: '2026-12-20T08:00:00.000Z', result },
      });
    });

    it('another disposition, or none, states no result; issuedAt defaults to eventTime', () => {
      given(inspection({ certificationInfo: documentUrn('CUSTOMS_DECLARATION', 'CD-1'), 'coldtrace:document': { issuer: 'Customs' } })).thenRequest({
        kind: 'attach',
        traceCode: LOT,
        body: { type: 'CUSTOMS_DECLARATION', number: 'CD-1', issuer: 'Customs', issuedAt: AT },
      });
    });

    it("a document that reached the lot from an ancestor (the export's coldtrace:documentSource) is that ancestor's to capture", () => {
      given(inspection({ 'coldtrace:documentSource': lotClassUrn('PARENT') })).thenRefused(/documentSource names PARENT/);
      given(inspection({ disposition: 'conformant', 'coldtrace:documentSource': lotClassUrn(LOT) })).thenRequest(expect.objectContaining({ kind: 'attach' }));
    });

    it('names one Coldtrace document', () => {
      given(inspection({ certificationInfo: 'https://example.org/cert/1' })).thenRefused(/names no Coldtrace document/);
      given(inspection({ certificationInfo: [documentUrn('A', '1'), documentUrn('B', '2')] })).thenRefused(/names 2 documents/);
    });
  });

  describe('TransformationEvent: a split or a merge', () => {
    const transformation = (inputs: [string, number | undefined][], outputs: [string, number][], over: Record<string, unknown> = {}) => ({
      type: 'TransformationEvent',
      eventID: EVENT_ID,
      eventTime: AT,
      eventTimeZoneOffset: '+08:00',
      inputQuantityList: inputs.map(([lot, quantity]) => ({ epcClass: lotClassUrn(lot), ...(quantity === undefined ? {} : { quantity, uom: 'KGM' }) })),
      outputQuantityList: outputs.map(([lot, quantity]) => ({ epcClass: lotClassUrn(lot), quantity, uom: 'KGM' })),
      bizStep: 'repackaging',
      bizLocation: { id: facilityUrn('CW-01') },
      ...over,
    });

    it('one input into several outputs is a split of the input, its id the event key', () => {
      given(transformation([[LOT, 500]], [['A', 200], ['B', 300]])).thenRequest({
        kind: 'split',
        traceCode: LOT,
        body: { splitId: EVENT_ID, children: [{ traceCode: 'A', quantity: 200 }, { traceCode: 'B', quantity: 300 }], occurredAt: AT },
      });
      given(transformation([[LOT, undefined]], [['A', 200]])).thenRequest(expect.objectContaining({ kind: 'split' }));
    });

    it('a split takes what its outputs hold', () => {
      given(transformation([[LOT, 400]], [['A', 200], ['B', 300]])).thenRefused(/400 is not 500/);
    });

    it('several inputs into one output is a merge at the bizLocation', () => {
      given(transformation([['P1', 10.5], ['P2', 4.25]], [['M', 14.75]])).thenRequest({
        kind: 'merge',
        body: { mergeId: EVENT_ID, traceCode: 'M', parents: [{ traceCode: 'P1', quantity: 10.5 }, { traceCode: 'P2', quantity: 4.25 }], facilityId: 'CW-01', occurredAt: AT },
      });
      given(transformation([['P1', 10], ['P2', 4]], [['M', 15]])).thenRefused(/15 is not 14/);
    });

    it('neither shape, another unit on one side, or a class not ours is refused', () => {
      given(transformation([['P1', 1], ['P2', 1]], [['A', 1], ['B', 1]])).thenRefused(/neither a split/);
      const mixed = transformation([[LOT, 2]], [['A', 2]]);
      given({ ...mixed, outputQuantityList: [{ epcClass: lotClassUrn('A'), quantity: 2, uom: 'CT' }] }).thenRefused(/in one unit/);
      given({ ...mixed, inputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 2, uom: 'KGM' }] }).thenRefused(/not a Coldtrace lot/);
    });
  });

  describe('holding and destroying: a regulator\'s recall, lock, unlock, destruction', () => {
    const holding = (persistentDisposition: unknown) => objectEvent({ bizStep: 'holding', persistentDisposition, 'coldtrace:reason': 'Positive test upstream' });

    it('recalled set is a recall, its id the event key', () => {
      given(holding({ set: ['recalled'] })).thenRequest({ kind: 'recall', traceCode: LOT, body: { reason: 'Positive test upstream', recallId: EVENT_ID } });
    });

    it('non_sellable_other set is a lock, unset an unlock', () => {
      given(holding({ set: ['non_sellable_other'] })).thenRequest({ kind: 'lock', traceCode: LOT, body: { reason: 'Positive test upstream' } });
      given(holding({ unset: ['https://ref.gs1.org/cbv/Disp-non_sellable_other'] })).thenRequest({ kind: 'unlock', traceCode: LOT, body: { reason: 'Positive test upstream' } });
    });

    it("a hold through an ancestor (the export's coldtrace:heldThrough, a recall from another origin) is the ancestor's to capture", () => {
      given({ ...holding({ set: ['non_sellable_other'] }), 'coldtrace:heldThrough': lotClassUrn('PARENT') }).thenRefused(/heldThrough names PARENT/);
      given({ ...holding({ set: ['recalled'] }), 'coldtrace:recallOrigin': lotClassUrn('PARENT') }).thenRefused(/recallOrigin names PARENT/);
      given({ ...holding({ set: ['recalled'] }), 'coldtrace:recallOrigin': lotClassUrn(LOT) }).thenRequest(expect.objectContaining({ kind: 'recall' }));
    });

    it('one thing per event, and something to do', () => {
      given(holding({ set: ['recalled', 'non_sellable_other'] })).thenRefused(/asks one thing; this one asks recall and lock/);
      given(holding({ set: ['damaged'] })).thenRefused(/sets recalled or non_sellable_other/);
    });

    it('destroying (DELETE, as the export writes it) is a destruction', () => {
      given(objectEvent({ action: 'DELETE', bizStep: 'destroying', disposition: 'destroyed', 'coldtrace:reason': 'Incinerated' })).thenRequest({
        kind: 'destroy',
        traceCode: LOT,
        body: { reason: 'Incinerated' },
      });
    });
  });
});
