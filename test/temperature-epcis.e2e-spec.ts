import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { lotClassUrn } from '../apps/api/src/epcis/epcis-identifiers';
import { Client, createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, registerLot, registerNetwork, walkToStore, Network } from './support/fixtures';

/**
 * A device's temperature log through EPCIS 2.0's sensorElementList: captured
 * (a sensor_reporting event, readings in °C and °F), it is the same series as
 * the JSON route records; sent again it records nothing; the export carries
 * it back as sensorElementList (valid against GS1's schema), and that export
 * captured again records nothing either.
 */

const MINUTE = 60_000;
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { coldtrace: 'urn:coldtrace:epcis:' }];
const repoRoot = resolve(__dirname, '..');
const SCHEMA_PATH = [resolve(repoRoot, '../shared/epcis/EPCIS-JSON-Schema.json'), resolve(repoRoot, 'apps/api/src/epcis/capture/schema/EPCIS-JSON-Schema.json')].find((p) => existsSync(p));

interface Reading {
  at: string;
  celsius: number;
}

/** A logger's readings every 5 minutes for three days, ending 5 minutes ago: 864 of them, -22 to -19.25 °C in quarter degrees. */
const threeDays = (): Reading[] => {
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
  return Array.from({ length: 864 }, (_, i) => ({ at: new Date(end - (863 - i) * 5 * MINUTE).toISOString(), celsius: -22 + (i % 12) / 4 }));
};

/** Every third reading in °F, as a mixed fleet of loggers would send them (°C × 1.8 + 32, to the hundredth). */
const asReports = (readings: readonly Reading[]) =>
  readings.map((r, i) =>
    i % 3 === 0
      ? { type: 'gs1:Temperature', value: Math.round((r.celsius * 1.8 + 32) * 100) / 100, uom: 'FAH', time: r.at }
      : { type: 'Temperature', value: r.celsius, uom: 'CEL', time: r.at },
  );

const documentOf = (eventList: unknown[]) => ({ '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList } });

const sensorEvent = (traceCode: string, deviceID: string, reports: unknown[]) => ({
  type: 'ObjectEvent',
  eventID: `urn:uuid:${crypto.randomUUID()}`,
  eventTime: new Date().toISOString(),
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  bizStep: 'sensor_reporting',
  quantityList: [{ epcClass: lotClassUrn(traceCode) }],
  sensorElementList: [{ sensorMetadata: { deviceID }, sensorReport: reports }],
});

interface Job {
  success: boolean;
  position: number;
  errors: { eventID: string | null; code: string; message: string; details?: Record<string, unknown> }[];
}

interface SensorReport {
  type: string;
  value: number;
  uom: string;
  time: string;
}

interface ExportedEvent {
  eventID: string;
  bizStep?: string;
  readPoint?: { id: string };
  sensorElementList?: { sensorMetadata: { deviceID: string }; sensorReport: SensorReport[] }[];
}

describe('temperature logs as EPCIS 2.0 sensorElementList (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  let operator: Client;
  let validate: ValidateFunction;

  beforeAll(async () => {
    if (!SCHEMA_PATH) throw new Error('GS1 EPCIS JSON Schema not found');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
    t = await createTestApp();
    n = await registerNetwork(t);
    operator = t.as((await t.issueKey('OPERATOR', [n.port, n.warehouse, n.market, n.store], 'cold-chain system')).token);
  });
  afterAll(async () => {
    await t?.close();
  });

  const atStore = async (): Promise<string> => {
    const { traceCode } = await registerLot(t, n);
    await walkToStore(t, n, traceCode);
    return traceCode;
  };

  const capture = async (document: unknown): Promise<Job> => {
    const res = await operator.post('/api/epcis/capture').set('content-type', 'application/ld+json').send(JSON.stringify(document));
    if (res.status !== 202) throw new Error(`capture answered ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Job;
  };

  const eventCount = async (traceCode: string): Promise<number> =>
    Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [`lot-${traceCode}`])) as { n: number }[])[0].n);

  /** The lot's uploads as its history tells them, but for their ids and record times. */
  const uploadsOf = async (traceCode: string, position: number) => {
    const res = await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}/history?atLeast=${position}`).expect(200);
    return (res.body.events as { type: string; data: Record<string, unknown> }[])
      .filter((e) => e.type === 'TemperaturesRecorded')
      .map(({ data: { uploadId: _u, recordedAt: _r, ...data } }) => data);
  };

  /** The lot's logged readings, in time order. */
  const seriesOf = async (traceCode: string): Promise<{ device: string; at: string; celsius: number }[]> => {
    const rows: { device_id: string; at: Date; celsius: number }[] = await t.dataSource.query(
      `SELECT device_id, unnest(at) AS at, unnest(celsius) AS celsius FROM temperature_uploads WHERE trace_code = $1 ORDER BY 2`,
      [traceCode],
    );
    return rows.map((r) => ({ device: r.device_id, at: r.at.toISOString(), celsius: Number(r.celsius) }));
  };

  /** The lot's sensor_reporting events as the export writes them, every page checked against GS1's schema. */
  const exportedLog = async (traceCode: string): Promise<ExportedEvent[]> => {
    const res = await t
      .as(t.tokens.regulator)
      .get(`/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lotClassUrn(traceCode))}&EQ_bizStep=sensor_reporting`)
      .expect(200);
    expect({ valid: validate(res.body), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
    expect(res.headers.link).toBeUndefined();
    return res.body.epcisBody.queryResults.resultsBody.eventList as ExportedEvent[];
  };

  it('a captured log (°C and °F) is the series the JSON route records; a resend records nothing; the export carries it and captured back records nothing', async () => {
    const [byJson, byEpcis] = [await atStore(), await atStore()];
    const readings = threeDays();

    const json = await operator.post(`/api/lots/${byJson}/temperatures`).send({ deviceId: 'reefer-9', readings }).expect(201);
    expect(json.body).toMatchObject({ recorded: 864, repeated: 0 });

    const document = documentOf([sensorEvent(byEpcis, 'urn:coldtrace:device:reefer-9', asReports(readings))]);
    const job = await capture(document);
    expect(job).toMatchObject({ success: true, errors: [] });

    // The same series: the upload's summary and every reading.
    const [fromJson, fromEpcis] = [await uploadsOf(byJson, json.body.position), await uploadsOf(byEpcis, job.position)];
    expect(fromEpcis).toHaveLength(1);
    expect(fromEpcis).toEqual(fromJson);
    expect(fromEpcis[0]).toMatchObject({ deviceId: 'reefer-9', count: 864, minCelsius: -22, maxCelsius: -19.25, firstAt: readings[0].at, lastAt: readings[863].at });
    const series = await seriesOf(byEpcis);
    expect(series).toEqual(readings.map((r) => ({ device: 'reefer-9', ...r })));
    expect(series).toEqual(await seriesOf(byJson));

    // Sent again: every reading is known by (device, time), nothing is recorded.
    const before = await eventCount(byEpcis);
    expect(await capture(document)).toMatchObject({ success: true, errors: [] });
    expect(await eventCount(byEpcis)).toBe(before);

    // The export: one sensor_reporting ObjectEvent per upload, its readings a sensorElementList; the two lots' alike.
    const [exported, exportedJson] = [await exportedLog(byEpcis), await exportedLog(byJson)];
    expect(exported).toHaveLength(1);
    const [element] = exported[0].sensorElementList!;
    expect(element.sensorMetadata).toEqual({ deviceID: 'urn:coldtrace:device:reefer-9' });
    expect(element.sensorReport).toEqual(readings.map((r) => ({ type: 'Temperature', value: r.celsius, uom: 'CEL', time: r.at })));
    expect(exportedJson[0].sensorElementList).toEqual(exported[0].sensorElementList);
    expect(exported[0].readPoint).toEqual(exportedJson[0].readPoint);

    // The export captured back (each lot's own): nothing new.
    const [beforeEpcis, beforeJson] = [await eventCount(byEpcis), await eventCount(byJson)];
    expect(await capture(documentOf([...exported, ...exportedJson]))).toMatchObject({ success: true, errors: [] });
    expect([await eventCount(byEpcis), await eventCount(byJson)]).toEqual([beforeEpcis, beforeJson]);
    expect(await seriesOf(byEpcis)).toEqual(series);
  });

  it('a receiving scan with the reefer log: the scan records its own reading, the log the others', async () => {
    const { traceCode } = await registerLot(t, n);
    await attachAllPapers(t, traceCode);
    await operator.post('/api/scans').send({ scanId: `S-${crypto.randomUUID()}`, traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' }, occurredAt: new Date(Date.now() - 120 * MINUTE).toISOString() }).expect(201);
    const receivedAt = new Date(Date.now() - 10 * MINUTE).toISOString();
    const transit = Array.from({ length: 20 }, (_, i) => ({ at: new Date(Date.now() - (115 - i * 5) * MINUTE).toISOString(), celsius: -19.5 }));
    const job = await capture(
      documentOf([
        {
          ...sensorEvent(traceCode, 'urn:coldtrace:device:truck-1', asReports(transit)),
          eventTime: receivedAt,
          bizStep: 'receiving',
          readPoint: { id: `urn:coldtrace:facility:${n.warehouse}:zone:${n.zones.warehouseIntake}` },
          sensorElementList: [
            { sensorMetadata: { deviceID: 'urn:coldtrace:device:truck-1' }, sensorReport: asReports(transit) },
            { sensorMetadata: { time: receivedAt }, sensorReport: [{ type: 'Temperature', value: -18.7, uom: 'CEL' }] },
          ],
        },
      ]),
    );
    expect(job).toMatchObject({ success: true, errors: [] });
    const history = await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}/history?atLeast=${job.position}`).expect(200);
    const events = history.body.events as { type: string; data: Record<string, unknown> }[];
    expect(events.find((e) => e.type === 'LotReceived')?.data).toMatchObject({ temperatureC: -18.7 });
    expect(events.filter((e) => e.type === 'TemperaturesRecorded').map((e) => e.data)).toEqual([expect.objectContaining({ deviceId: 'truck-1', count: 20, firstAt: transit[0].at, lastAt: transit[19].at })]);
  });

  it('a reading the route refuses: the event is the job\'s error, naming the report; under rollback nothing is recorded', async () => {
    const traceCode = await atStore();
    const readings = threeDays().slice(0, 4);
    const reports = asReports(readings).map((r, i) => (i === 2 ? { type: 'Temperature', value: 95, uom: 'CEL', time: r.time } : r));
    const before = await eventCount(traceCode);
    const event = sensorEvent(traceCode, 'urn:coldtrace:device:reefer-9', reports);
    const job = await capture(documentOf([event]));
    expect(job.success).toBe(false);
    expect(job.errors).toEqual([
      expect.objectContaining({ eventID: event.eventID, code: 'VALIDATION_FAILED', message: expect.stringContaining('sensorElementList[0].sensorReport[2].value must be a number of degrees Celsius') }),
    ]);
    expect(JSON.stringify(job.errors[0].details)).not.toContain('readings[');
    expect(await eventCount(traceCode)).toBe(before);
    expect(await seriesOf(traceCode)).toEqual([]);
  });
});
