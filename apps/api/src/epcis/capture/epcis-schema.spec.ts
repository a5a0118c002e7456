import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { epcisSchemaFaults } from './epcis-schema';

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

  (existsSync(SHARED) ? it : it.skip)('is byte-identical to the shared GS1 copy in ../shared/epcis', () => {
    expect(readFileSync(VENDORED).equals(readFileSync(join(SHARED, 'EPCIS-JSON-Schema.json')))).toBe(true);
  });

  (existsSync(SHARED) ? it.each : it.skip.each)(['Example_9.6.1-ObjectEvent.jsonld', 'Example_9.6.4-TransformationEvent.jsonld', 'PersistentDisposition-example.jsonld'])(
    "accepts GS1's own example %s",
    (file) => {
      expect(epcisSchemaFaults(JSON.parse(readFileSync(join(SHARED, file), 'utf8')))).toEqual([]);
    },
  );

  it('accepts a Coldtrace sale as an EPCIS document', () => {
    expect(epcisSchemaFaults(DOCUMENT)).toEqual([]);
  });

  it('names each fault by its JSON Pointer, without the if/then noise', () => {
    const broken = structuredClone(DOCUMENT) as unknown as { creationDate: string; epcisBody: { eventList: Record<string, unknown>[] } };
    broken.creationDate = 'yesterday';
    broken.epcisBody.eventList[0].action = 'SELL';
    delete broken.epcisBody.eventList[0].eventTimeZoneOffset;
    const faults = epcisSchemaFaults(broken);
    expect(faults.map((f) => f.pointer)).toEqual(expect.arrayContaining(['/creationDate', '/epcisBody/eventList/0/action', '/epcisBody/eventList/0']));
    expect(faults.find((f) => f.pointer === '/creationDate')!.message).toMatch(/date-time/);
    expect(faults.some((f) => /"then"/.test(f.message))).toBe(false);
    expect(new Set(faults.map((f) => `${f.pointer} ${f.message}`)).size).toBe(faults.length);
  });

  it('refuses what is not a document at all', () => {
    expect(epcisSchemaFaults([])).not.toEqual([]);
    expect(epcisSchemaFaults({ type: 'EPCISDocument' }).map((f) => f.pointer)).toContain('');
  });
});
