import { facilityUrn, lotClassUrn, zoneUrn } from '../epcis-identifiers';
import { DISINFECTING_BIZ_STEP } from '../epcis-mapping';
import { captureLine, captureLines, inEventTerms, scanIdOf, UNNAMED_SENSOR, type CaptureLine, type CaptureRequest } from './epcis-capture.mapping';

/** The scan a line asks, if it asks one. */
const scanOfLine = (line: CaptureLine) => (line.requests?.[0].kind === 'scan' ? line.requests[0].body : undefined);
/** A line with its scan beside it (these scan tests read it there). */
const scanLine = (raw: unknown) => {
  const line = captureLine(raw);
  return { ...line, scan: scanOfLine(line) };
};

const LOT = 'BEEF-2026-0001';

/** An ObjectEvent as a warehouse system would send it. */
const event = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventID: 'urn:uuid:0d1c7a52-7f8b-4f0e-8a57-5b0c2b9f0001',
  eventTime: '2026-11-21T15:10:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  bizStep: 'receiving',
  disposition: 'in_progress',
  quantityList: [{ epcClass: lotClassUrn(LOT), quantity: 1200, uom: 'KGM' }],
  readPoint: { id: zoneUrn('CW-01', 'IN-1') },
  bizLocation: { id: facilityUrn('CW-01') },
  ...over,
});

describe('EPCIS capture mapping: ObjectEvents as scans', () => {
  it('a receiving event is a RECEIVE at the bizLocation, in the readPoint zone, at eventTime, idempotent by eventID', () => {
    expect(captureLine(event())).toEqual({
      eventID: 'urn:uuid:0d1c7a52-7f8b-4f0e-8a57-5b0c2b9f0001',
      key: 'urn:uuid:0d1c7a52-7f8b-4f0e-8a57-5b0c2b9f0001',
      requests: [{ kind: 'scan', body: {
        scanId: 'urn:uuid:0d1c7a52-7f8b-4f0e-8a57-5b0c2b9f0001',
        traceCode: LOT,
        facilityId: 'CW-01',
        action: 'RECEIVE',
        zoneId: 'IN-1',
        occurredAt: '2026-11-21T15:10:00.000+08:00',
      } }],
    });
  });

  it.each([
    ['shipping', 'DISPATCH'],
    ['receiving', 'RECEIVE'],
    ['storing', 'STORE'],
    ['stocking', 'STORE'],
    ['sampling', 'SAMPLE'],
    ['retail_selling', 'SELL'],
    [DISINFECTING_BIZ_STEP, 'DISINFECT'],
    ['https://ref.gs1.org/cbv/BizStep-storing', 'STORE'],
    ['urn:epcglobal:cbv:bizstep:receiving', 'RECEIVE'],
  ])('bizStep %s is a %s scan', (bizStep, action) => {
    expect(scanLine(event({ bizStep, quantityList: [{ epcClass: lotClassUrn(LOT) }] })).scan?.action).toBe(action);
  });

  it('shipping: the location destination is the facility it goes to, and its quantity is passed on for the domain to judge (a part is refused there)', () => {
    const line = scanLine(
      event({
        bizStep: 'shipping',
        readPoint: { id: facilityUrn('PORT-SH') },
        bizLocation: undefined,
        sourceList: [{ type: 'location', source: facilityUrn('PORT-SH') }],
        destinationList: [
          { type: 'owning_party', destination: 'urn:epc:id:pgln:9520999.99999' },
          { type: 'https://ref.gs1.org/cbv/SDT-location', destination: facilityUrn('CW-01') },
        ],
      })
    );
    expect(line.scan).toMatchObject({ action: 'DISPATCH', facilityId: 'PORT-SH', toFacilityId: 'CW-01', quantity: 1200 });
    expect(line.scan).not.toHaveProperty('zoneId');
  });

  it("the export's vehicle extension is the scan's vehicle (its shape judged by the scan request's validation)", () => {
    expect(scanLine(event({ bizStep: 'shipping', 'coldtrace:vehicle': { plate: '沪A-12345', disinfectedAt: '2026-11-21T05:30:00.000Z' } })).scan?.vehicle).toEqual({
      plate: '沪A-12345',
      disinfectedAt: '2026-11-21T05:30:00.000Z',
    });
    expect(scanLine(event({ 'coldtrace:vehicle': { plate: 'T-1', disinfectedAt: null } })).scan?.vehicle).toEqual({ plate: 'T-1' });
    expect(scanLine(event({ 'coldtrace:vehicle': 'T-1' })).scan).not.toHaveProperty('vehicle');
  });

  it('a shipping event with no destination of ours is still a DISPATCH: the domain refuses it for want of toFacilityId', () => {
    expect(scanLine(event({ bizStep: 'shipping', destinationList: [] })).scan).not.toHaveProperty('toFacilityId');
  });

  it('two facilities as destinations is not one shipment', () => {
    const line = scanLine(
      event({ bizStep: 'shipping', destinationList: ['WM-01', 'WM-02'].map((id) => ({ type: 'location', destination: facilityUrn(id) })) })
    );
    expect(line.refused).toEqual({ code: 'EPCIS_NOT_MAPPED', message: expect.stringMatching(/2 facilities/) });
  });

  it('retail_selling: the quantity sold and the unit EPCIS states it in (a missing uom is a count, PIECE); a unit we do not record is refused', () => {
    const sale = (entry: Record<string, unknown>) =>
      scanLine(event({ bizStep: 'retail_selling', quantityList: [{ epcClass: lotClassUrn(LOT), ...entry }], readPoint: { id: zoneUrn('RS-01', 'SALES-1') }, bizLocation: undefined }));
    expect(sale({ quantity: 2.5, uom: 'KGM' }).scan).toMatchObject({ action: 'SELL', facilityId: 'RS-01', zoneId: 'SALES-1', quantity: 2.5, unit: 'KG' });
    expect(sale({ quantity: 3, uom: 'CT' }).scan).toMatchObject({ quantity: 3, unit: 'CARTON' });
    expect(sale({ quantity: 3 }).scan).toMatchObject({ quantity: 3, unit: 'PIECE' });
    expect(sale({ quantity: 3, uom: 'LTR' }).refused).toEqual({ code: 'EPCIS_UNIT_MISMATCH', message: 'LTR is not a unit Coldtrace records (KGM, CT, H87)' });
    // No quantity: a SELL without one, which the domain refuses as it refuses a scanner's.
    expect(sale({}).scan).not.toHaveProperty('quantity');
    expect(sale({}).scan).not.toHaveProperty('unit');
  });

  it('whether the unit is the lot\'s is left to the domain (UNIT_MISMATCH after the scan\'s scope): the mapping reads no lot', () => {
    expect(scanLine(event({ bizStep: 'retail_selling', quantityList: [{ epcClass: lotClassUrn('NOPE'), quantity: 1, uom: 'CT' }] })).scan).toMatchObject({ quantity: 1, unit: 'CARTON' });
  });

  it('quantities mean nothing to RECEIVE, STORE, SAMPLE or DISINFECT and are not passed on', () => {
    for (const bizStep of ['receiving', 'storing', 'sampling', DISINFECTING_BIZ_STEP]) {
      expect(scanLine(event({ bizStep, quantityList: [{ epcClass: lotClassUrn(LOT), quantity: 99, uom: 'LTR' }] })).scan).not.toHaveProperty('quantity');
    }
  });

  it('a temperature sensor reading is temperatureC: the highest one, to the tenth, converted from FAH or KEL', () => {
    const withReports = (...sensorReport: Record<string, unknown>[]) => scanLine(event({ sensorElementList: [{ sensorReport }] }));
    expect(withReports({ type: 'gs1:Temperature', value: -18.54, uom: 'CEL' }).scan?.temperatureC).toBe(-18.5);
    // A half tenth rounds up, to the warmer side.
    expect(withReports({ type: 'Temperature', value: -19, uom: 'CEL' }, { type: 'Temperature', value: -16.25, uom: 'CEL' }).scan?.temperatureC).toBe(-16.2);
    expect(withReports({ type: 'Temperature', value: 14, uom: 'FAH' }).scan?.temperatureC).toBe(-10);
    expect(withReports({ type: 'https://gs1.org/voc/Temperature', value: 255.15, uom: 'KEL' }).scan?.temperatureC).toBe(-18);
    expect(withReports({ type: 'Temperature', maxValue: -12, minValue: -20, uom: 'CEL' }).scan?.temperatureC).toBe(-12);
    expect(withReports({ type: 'Temperature', value: -0.01, uom: 'CEL' }).scan?.temperatureC).toBe(0);
    // Other readings, or an alert with no value, say nothing about temperature.
    expect(withReports({ type: 'RelativeHumidity', value: 80, uom: 'A93' }, { type: 'Temperature', exception: 'ALARM_CONDITION' }).scan).not.toHaveProperty('temperatureC');
    expect(withReports({ type: 'Temperature', value: 3, uom: 'XXX' }).refused).toEqual({ code: 'EPCIS_NOT_MAPPED', message: 'a temperature in XXX cannot be read (CEL, FAH or KEL)' });
  });

  it('the place: the readPoint alone will do, bizLocation alone will do, the two must name one facility', () => {
    expect(scanLine(event({ bizLocation: undefined })).scan).toMatchObject({ facilityId: 'CW-01', zoneId: 'IN-1' });
    expect(scanLine(event({ readPoint: undefined, bizLocation: { id: zoneUrn('CW-01', 'COLD-1') } })).scan).toMatchObject({ facilityId: 'CW-01', zoneId: 'COLD-1' });
    // A readPoint of someone else's (a dock's GLN) leaves bizLocation to say where.
    expect(scanLine(event({ readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' } })).scan).toMatchObject({ facilityId: 'CW-01' });
    expect(scanLine(event({ bizLocation: { id: facilityUrn('WM-01') } })).refused?.message).toMatch(/different facilities/);
    expect(scanLine(event({ readPoint: undefined, bizLocation: { id: 'urn:epc:id:sgln:0012345.11111.0' } })).refused?.code).toBe('EPCIS_NOT_MAPPED');
  });

  it('what is no Coldtrace command is named as such: other event types, actions, bizSteps, lots and several lots', () => {
    const refused = (over: Record<string, unknown>) => scanLine(event(over)).refused;
    expect(refused({ type: 'AggregationEvent' })?.message).toMatch(/AggregationEvent is not a Coldtrace command/);
    expect(refused({ action: 'ADD' })?.message).toMatch(/action ADD and bizStep receiving/);
    expect(refused({ bizStep: 'packing' })?.message).toMatch(/bizStep packing is not a Coldtrace command/);
    expect(refused({ bizStep: undefined })?.code).toBe('EPCIS_NOT_MAPPED');
    expect(refused({ quantityList: undefined, epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] })?.message).toMatch(/names no Coldtrace lot/);
    expect(refused({ quantityList: [{ epcClass: lotClassUrn('A') }, { epcClass: lotClassUrn('B') }] })?.message).toMatch(/2 lots/);
  });

  it('eventIDs that are not scan ids (GS1 ni:/// hashes) and events without one get a stable derived scan id', () => {
    const gs1 = 'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0';
    const id = scanIdOf(event({ eventID: gs1 }));
    expect(id).toMatch(/^epcis-[0-9a-f]{64}$/);
    expect(scanIdOf(event({ eventID: gs1, eventTime: '2026-11-22T00:00:00Z' }))).toBe(id);
    const anonymous = scanIdOf(event({ eventID: undefined }));
    expect(anonymous).toMatch(/^epcis-[0-9a-f]{64}$/);
    expect(scanIdOf({ ...event({ eventID: undefined }) })).toBe(anonymous);
    expect(scanIdOf(event({ eventID: undefined, eventTime: '2026-11-22T00:00:00Z' }))).not.toBe(anonymous);
  });

  it("reads GS1's own example events as what they are: not Coldtrace's", () => {
    const lines = captureLines([event({ type: 'AggregationEvent' }), event(), 'not an event']);
    expect(lines.map((l) => l.refused?.code ?? scanOfLine(l)?.action)).toEqual(['EPCIS_NOT_MAPPED', 'RECEIVE', 'EPCIS_NOT_MAPPED']);
  });
});

describe('EPCIS capture mapping: sensorElementList readings as the temperature log', () => {
  const logsOf = (line: CaptureLine) => (line.requests ?? []).flatMap((r) => (r.kind === 'temperatures' ? [r] : []));
  const T0 = Date.parse('2026-11-21T07:10:00Z');
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  const sensorEvent = (over: Record<string, unknown> = {}) => event({ bizStep: 'sensor_reporting', disposition: undefined, quantityList: [{ epcClass: lotClassUrn(LOT) }], ...over });

  it('sensor_reporting: each Temperature report a reading at its own time, from its device, for the lot; other types ignored', () => {
    const line = captureLine(
      sensorEvent({
        sensorElementList: [
          {
            sensorMetadata: { deviceID: 'urn:coldtrace:device:reefer-7' },
            sensorReport: [
              { type: 'Temperature', value: -18.5, uom: 'CEL', time: at(0) },
              { type: 'gs1:Temperature', value: 0.5, uom: 'FAH', time: at(5) },
              { type: 'RelativeHumidity', value: 80, uom: 'A93', time: at(5) },
              { type: 'Temperature', value: -1.234, uom: 'FAH', time: at(10) },
            ],
          },
        ],
      }),
    );
    expect(line.requests).toEqual([
      {
        kind: 'temperatures',
        traceCode: LOT,
        // °F to °C, to the hundredth the route takes.
        body: { deviceId: 'reefer-7', readings: [{ at: at(0), celsius: -18.5 }, { at: at(5), celsius: -17.5 }, { at: at(10), celsius: -18.46 }] },
        sources: [0, 1, 3].map((r) => ({ at: `sensorElementList[0].sensorReport[${r}].time`, celsius: `sensorElementList[0].sensorReport[${r}].value` })),
      },
    ]);
  });

  it("a report's time, else its element's sensorMetadata.time, else eventTime", () => {
    const [log] = logsOf(
      captureLine(
        sensorEvent({
          eventTime: at(60),
          sensorElementList: [
            { sensorMetadata: { time: at(20) }, sensorReport: [{ type: 'Temperature', value: -18, uom: 'CEL', time: at(15) }, { type: 'Temperature', value: -19, uom: 'CEL' }] },
            { sensorReport: [{ type: 'Temperature', value: -20, uom: 'CEL' }] },
          ],
        }),
      ),
    );
    expect(log.body.readings.map((r) => r.at)).toEqual([at(15), at(20), at(60)]);
    expect(log.sources.map((s) => s.at)).toEqual(['sensorElementList[0].sensorReport[0].time', 'sensorElementList[0].sensorMetadata.time', 'eventTime']);
  });

  it("the device: the report's deviceID, else its element's, else the readPoint; a URI that is no id stands as its hash", () => {
    const deviceOf = (over: Record<string, unknown>, element: Record<string, unknown> = {}, report: Record<string, unknown> = {}) =>
      logsOf(captureLine(sensorEvent({ ...over, sensorElementList: [{ ...element, sensorReport: [{ type: 'Temperature', value: -18, uom: 'CEL', time: at(0), ...report }] }] }))).map(
        (r) => r.body.deviceId,
      );
    expect(deviceOf({}, { sensorMetadata: { deviceID: 'urn:epc:id:giai:4000001.111' } })).toEqual(['urn:epc:id:giai:4000001.111']);
    expect(deviceOf({}, { sensorMetadata: { deviceID: 'urn:coldtrace:device:a' } }, { deviceID: 'urn:coldtrace:device:b' })).toEqual(['b']);
    expect(deviceOf({}, { sensorMetadata: { deviceID: 'https://id.gs1.org/8004/4000001111' } })).toEqual([expect.stringMatching(/^epcis-[0-9a-f]{64}$/)]);
    expect(deviceOf({})).toEqual([zoneUrn('CW-01', 'IN-1')]);
    expect(deviceOf({ readPoint: undefined })).toEqual([UNNAMED_SENSOR]);
  });

  it('one request per lot and device, at most 10,000 readings each', () => {
    const reports = Array.from({ length: 10_002 }, (_, i) => ({ type: 'Temperature', value: -18, uom: 'CEL', time: at(i * 5), ...(i === 0 ? { deviceID: 'urn:coldtrace:device:probe' } : {}) }));
    const line = captureLine(
      sensorEvent({ quantityList: [{ epcClass: lotClassUrn('A') }, { epcClass: lotClassUrn('B') }, { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877' }], sensorElementList: [{ sensorMetadata: { deviceID: 'urn:coldtrace:device:reefer' }, sensorReport: reports }] }),
    );
    expect(logsOf(line).map((r) => [r.traceCode, r.body.deviceId, r.body.readings.length])).toEqual([
      ['A', 'probe', 1],
      ['A', 'reefer', 10_000],
      ['A', 'reefer', 1],
      ['B', 'probe', 1],
      ['B', 'reefer', 10_000],
      ['B', 'reefer', 1],
    ]);
    expect(logsOf(line)[2].sources[0].celsius).toBe('sensorElementList[0].sensorReport[10001].value');
  });

  it('a sensor_reporting event with no temperature reading, or no lot of ours, is no Coldtrace command', () => {
    expect(captureLine(sensorEvent({ sensorElementList: [{ sensorReport: [{ type: 'RelativeHumidity', value: 80, uom: 'A93' }] }] })).refused?.message).toMatch(/has none/);
    expect(captureLine(sensorEvent({ quantityList: undefined, sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: -18 }] }] })).refused?.message).toMatch(/names no Coldtrace lot/);
    expect(captureLine(sensorEvent({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: -18, uom: 'XXX' }] }] })).refused?.code).toBe('EPCIS_NOT_MAPPED');
  });

  it("a scan: readings at its own instant (or at none) are its temperatureC; readings at other times are logged after the scan", () => {
    const eventTime = '2026-11-21T15:10:00.000+08:00';
    const line = captureLine(
      event({
        eventTime,
        sensorElementList: [
          { sensorMetadata: { time: '2026-11-21T07:10:00Z' }, sensorReport: [{ type: 'Temperature', value: -18.5, uom: 'CEL' }] },
          { sensorMetadata: { deviceID: 'urn:coldtrace:device:reefer-7' }, sensorReport: [{ type: 'Temperature', value: -17, uom: 'CEL', time: at(-10) }, { type: 'Temperature', value: -19, uom: 'CEL', time: at(-5) }] },
          { sensorReport: [{ type: 'Temperature', value: -18.9, uom: 'CEL' }] },
        ],
      }),
    );
    expect(line.requests?.map((r) => r.kind)).toEqual(['scan', 'temperatures']);
    expect(scanOfLine(line)?.temperatureC).toBe(-18.5);
    expect(logsOf(line)[0].body).toEqual({ deviceId: 'reefer-7', readings: [{ at: at(-10), celsius: -17 }, { at: at(-5), celsius: -19 }] });
    // Only timed readings elsewhere: the scan has none of its own.
    expect(scanOfLine(captureLine(event({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: -17, time: at(-10) }] }] })))).not.toHaveProperty('temperatureC');
  });

  it("a temperatures request's refusal names the readings by where the event holds them", () => {
    const [log] = logsOf(captureLine(sensorEvent({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 95, uom: 'CEL', time: at(0) }, { type: 'Temperature', value: -18 }] }] }))) as CaptureRequest[];
    expect(inEventTerms(log, 'readings[0].celsius must be a number of degrees Celsius from -80 to 60')).toBe(
      'sensorElementList[0].sensorReport[0].value must be a number of degrees Celsius from -80 to 60',
    );
    expect(inEventTerms(log, 'readings[1].at is in the future')).toBe('eventTime is in the future');
    expect(inEventTerms(log, 'readings[1] must be an object')).toBe('sensorElementList[0].sensorReport[1] must be an object');
    expect(inEventTerms(log, 'readings must hold at least one reading')).toBe('sensorElementList must hold at least one reading');
    expect(inEventTerms({ kind: 'lock', traceCode: LOT, body: { reason: 'x' } }, 'readings[0].at')).toBe('readings[0].at');
  });
});
