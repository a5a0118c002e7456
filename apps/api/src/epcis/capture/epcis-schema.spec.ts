import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeNeeding } from '../../../../../test/support/needs';
import { epcisSchemaFaults, MAX_SCHEMA_FAULTS } from './epcis-schema';

/** GS1's reference files, read-only, beside the repository (absent where only the repository was copied, e.g. an image build). */
const REPOSITORY = join(__dirname, '../../../../..');
const SHARED = join(REPOSITORY, '../shared/epcis');
const VENDORED = join(__dirname, 'schema/EPCIS-JSON-Schema.json');
/** SHA-256 of GS1's EPCIS-JSON-Schema.json (gs1/EPCIS commit 2b888be). A change here is a change of standard, not an edit. */
const SCHEMA_SHA256 = 'ed3228d7867198b4a5be9748fe77f473457c6ed98224fab28a950b4ce634a041';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const DOCUMENT = {
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-11-23T10:00:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        eventID: 'urn:uuid:8f5a0a4e-3a3c-4c52-9a4e-1f6c8c0b2d11',
        eventTime: '2026-11-23T10:00:00Z',
        eventTimeZoneOffset: '+08:00',
        action: 'OBSERVE',
        bizStep: 'retail_selling',
        quantityList: [{ epcClass: 'urn:coldtrace:lot:BEEF-2026-0001', quantity: 2.5, uom: 'KGM' }],
        readPoint: { id: 'urn:coldtrace:facility:RS-01:zone:SALES-1' },
      },
    ],
  },
};

describe('EPCIS capture: the GS1 schema', () => {
  it('is GS1 EPCIS-JSON-Schema.json byte for byte (pinned by its SHA-256)', () => {
    expect(sha256(readFileSync(VENDORED))).toBe(SCHEMA_SHA256);
  });

  describeNeeding('epcis', __filename, "GS1's own files in ../shared/epcis")("GS1's own files in ../shared/epcis", () => {
    it('the vendored schema is byte-identical to the shared GS1 copy', () => {
      expect(readFileSync(VENDORED).equals(readFileSync(join(SHARED, 'EPCIS-JSON-Schema.json')))).toBe(true);
    });

    it.each(['Example_9.6.1-ObjectEvent.jsonld', 'Example_9.6.4-TransformationEvent.jsonld', 'PersistentDisposition-example.jsonld'])("accepts GS1's own example %s", async (file) => {
      expect(await epcisSchemaFaults(JSON.parse(readFileSync(join(SHARED, file), 'utf8')))).toEqual([]);
    });
  });

  it('accepts a Coldtrace sale as an EPCIS document', async () => {
    expect(await epcisSchemaFaults(DOCUMENT)).toEqual([]);
  });

  it('names each fault by its JSON Pointer, without the if/then noise', async () => {
    const broken = structuredClone(DOCUMENT) as unknown as { creationDate: string; epcisBody: { eventList: Record<string, unknown>[] } };
    broken.creationDate = 'yesterday';
    broken.epcisBody.eventList[0].action = 'SELL';
    delete broken.epcisBody.eventList[0].eventTimeZoneOffset;
    const faults = await epcisSchemaFaults(broken);
    expect(faults.map((f) => f.pointer)).toEqual(expect.arrayContaining(['/creationDate', '/epcisBody/eventList/0/action', '/epcisBody/eventList/0']));
    expect(faults.find((f) => f.pointer === '/creationDate')!.message).toMatch(/date-time/);
    expect(faults.some((f) => /"then"/.test(f.message))).toBe(false);
    expect(new Set(faults.map((f) => `${f.pointer} ${f.message}`)).size).toBe(faults.length);
  });

  it('refuses what is not a document at all', async () => {
    expect(await epcisSchemaFaults([])).not.toEqual([]);
    expect(await epcisSchemaFaults(undefined)).not.toEqual([]);
    expect((await epcisSchemaFaults({ type: 'EPCISDocument' })).map((f) => f.pointer)).toContain('');
  });

  const withEvents = (eventList: unknown[]) => ({ ...DOCUMENT, epcisBody: { eventList } });

  it('stops at the first MAX_SCHEMA_FAULTS faults, in document order (the finding: 100,000 empty events)', async () => {
    const faults = await epcisSchemaFaults(withEvents(Array.from({ length: 100_000 }, () => ({}))));
    expect(faults).toHaveLength(MAX_SCHEMA_FAULTS);
    expect(faults[0].pointer).toBe('/epcisBody/eventList/0');
    const events = faults.map((f) => Number(/^\/epcisBody\/eventList\/(\d+)/.exec(f.pointer)![1]));
    expect(events).toEqual([...events].sort((a, b) => a - b));
    // Each empty event has a few faults of its own: the list is full long before the 100,000th.
    expect(events[events.length - 1]).toBeLessThan(100);
  });

  it('lists the document faults before the events, and every event with its index', async () => {
    const doc = { ...withEvents([DOCUMENT.epcisBody.eventList[0], { type: 'ObjectEvent' }]), creationDate: 'today' };
    const pointers = (await epcisSchemaFaults(doc)).map((f) => f.pointer);
    expect(pointers[0]).toBe('/creationDate');
    expect(pointers.slice(1).every((p) => p.startsWith('/epcisBody/eventList/1'))).toBe(true);
  });

  it('a large broken event: its first fault only (listing every one of 8,000 stray keys took 11 s)', async () => {
    const event = { ...DOCUMENT.epcisBody.eventList[0], action: 'SELL', ...Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`stray${i}`, i])) };
    const faults = await epcisSchemaFaults(withEvents([event]));
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.length).toBeLessThan(10);
    expect(faults.every((f) => f.pointer.startsWith('/epcisBody/eventList/0'))).toBe(true);
  });

  it('uniqueItems: 20,000 distinct EPCs pass (ajv compared every pair: over a second), one repeated is named', async () => {
    const epcList = Array.from({ length: 20_000 }, (_, i) => `urn:epc:id:sgtin:0614141.107346.${i}`);
    expect(await epcisSchemaFaults(withEvents([{ ...DOCUMENT.epcisBody.eventList[0], epcList }]))).toEqual([]);
    const repeated = await epcisSchemaFaults(withEvents([{ ...DOCUMENT.epcisBody.eventList[0], epcList: [...epcList, epcList[7]] }]));
    expect(repeated).toEqual([{ pointer: '/epcisBody/eventList/0/epcList', message: 'must NOT have duplicate items (items ## 7 and 20000 are identical)' }]);
    // Equal as JSON values, whatever the order of their keys.
    const context = await epcisSchemaFaults({ ...DOCUMENT, '@context': [{ a: 1, b: [2] }, { b: [2], a: 1 }] });
    expect(context.map((f) => [f.pointer, f.message])).toContainEqual(['/@context', 'must NOT have duplicate items (items ## 0 and 1 are identical)']);
  });
});
