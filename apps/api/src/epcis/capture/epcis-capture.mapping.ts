import type { QuantityUnit, ScanAction } from '@app/domain';
import { requestHash } from '../../common/commands/request-hash';
import { ID_PATTERN } from '../../common/http/identifiers';
import { MAX_READINGS_PER_UPLOAD } from '../../lots/commands/record-temperatures/record-temperatures.request.dto';
import { parseDeviceUri, parseDocumentUrn, parseLocationUrn, parseLotClassUrn, unitOfUom } from '../epcis-identifiers';
import { DISINFECTING_BIZ_STEP, SENSOR_REPORTING_BIZ_STEP } from '../epcis-mapping';

/**
 * EPCIS capture: which events are which Coldtrace command (a scan, a lot's
 * registration, a document, a split or merge, a recall, lock, unlock or
 * destruction), as the body its JSON route takes. Pure translation, nothing
 * judged: the requests it yields are checked and recorded as their routes
 * do (capture-recorder.ts), so the key's role and facilities, the request's
 * validation and the domain decide exactly as they do for the JSON API.
 * Here only what cannot be a Coldtrace command at all is refused.
 */

/** CBV business steps (bare, as the JSON-LD context names them) and ours, as the scan they are. */
export const SCAN_OF_BIZSTEP: ReadonlyMap<string, ScanAction> = new Map<string, ScanAction>([
  ['shipping', 'DISPATCH'],
  ['receiving', 'RECEIVE'],
  ['storing', 'STORE'],
  // Into the store's sales zone: the zone (readPoint) says which; the domain judges it as any STORE.
  ['stocking', 'STORE'],
  ['sampling', 'SAMPLE'],
  ['retail_selling', 'SELL'],
  // CBV has no step for it: the export's own URI.
  [DISINFECTING_BIZ_STEP, 'DISINFECT'],
]);

/** A scan request as POST /api/scans takes it (the batch route validates it as such). */
export interface CapturedScan {
  readonly scanId: string;
  readonly traceCode: string;
  readonly facilityId: string;
  readonly action: ScanAction;
  readonly occurredAt: string;
  readonly zoneId?: string;
  readonly toFacilityId?: string;
  readonly quantity?: number;
  readonly unit?: QuantityUnit;
  readonly temperatureC?: number;
  readonly vehicle?: { readonly plate: unknown; readonly disinfectedAt?: unknown };
}

export interface CaptureRefusal {
  readonly code: 'EPCIS_NOT_MAPPED' | 'EPCIS_UNIT_MISMATCH';
  readonly message: string;
}

/** A lot's registration as POST /api/lots takes it. */
export interface CapturedRegistration {
  readonly traceCode: string;
  readonly product: { readonly name: unknown; readonly category: unknown };
  readonly originCountry: unknown;
  readonly importer: unknown;
  readonly quantity: { readonly amount: number; readonly unit: QuantityUnit };
  readonly portOfEntryId: string;
  readonly enteredAt: string;
}

/** A document as POST /api/lots/:traceCode/documents takes it. */
export interface CapturedDocument {
  readonly type: string;
  readonly number: string;
  readonly issuer: unknown;
  readonly issuedAt: unknown;
  readonly validUntil?: unknown;
  readonly result?: 'NEGATIVE' | 'POSITIVE';
}

/** A device's readings for a lot as POST /api/lots/:traceCode/temperatures takes them. */
export interface CapturedTemperatures {
  readonly deviceId: string;
  readonly readings: readonly { readonly at: string; readonly celsius: number }[];
}

/** Where in its event each reading of a request was read: its time and its value, as field paths. */
export interface ReadingSource {
  readonly at: string;
  readonly celsius: string;
}

export interface CapturedPortion {
  readonly traceCode: string;
  readonly quantity: number;
}

/**
 * What an event asks, as the body of the JSON route that does it (left for
 * that route's validation to judge where it is the sender's free text);
 * `traceCode` is the lot in the route's path.
 */
export type CaptureRequest =
  | { readonly kind: 'scan'; readonly body: CapturedScan }
  | { readonly kind: 'register'; readonly body: CapturedRegistration }
  | { readonly kind: 'attach'; readonly traceCode: string; readonly body: CapturedDocument }
  | { readonly kind: 'split'; readonly traceCode: string; readonly body: { readonly splitId: string; readonly children: readonly CapturedPortion[]; readonly occurredAt: string } }
  | {
      readonly kind: 'merge';
      readonly body: { readonly mergeId: string; readonly traceCode: string; readonly parents: readonly CapturedPortion[]; readonly facilityId: string; readonly occurredAt: string };
    }
  | { readonly kind: 'recall'; readonly traceCode: string; readonly body: { readonly reason: unknown; readonly recallId: string } }
  | { readonly kind: 'lock' | 'unlock' | 'destroy'; readonly traceCode: string; readonly body: { readonly reason: unknown } }
  | { readonly kind: 'temperatures'; readonly traceCode: string; readonly body: CapturedTemperatures; readonly sources: readonly ReadingSource[] };

export type CaptureKind = CaptureRequest['kind'];

/**
 * One event of the document: the requests it is (and its idempotency key,
 * from its eventID), or why it is none. One request, but for the readings
 * an event logs: a request per lot and device (after a scan's own, when it
 * is a scan), as many as the JSON route would be sent.
 */
export type CaptureLine =
  | { readonly eventID: string | null; readonly key: string; readonly requests: readonly [CaptureRequest, ...CaptureRequest[]]; readonly refused?: undefined }
  | { readonly eventID: string | null; readonly requests?: undefined; readonly refused: CaptureRefusal };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A CBV term written bare (`shipping`), as a GS1 Web URI (`https://ref.gs1.org/cbv/BizStep-shipping`) or an EPCIS 1.x URN (`urn:epcglobal:cbv:bizstep:shipping`). */
const cbvTerm = (value: string, type: 'BizStep' | 'SDT' | 'Disp'): string => {
  const web = new RegExp(`^https?://(?:ref\\.gs1\\.org/cbv|gs1\\.org/voc)/${type}-(.+)$`).exec(value);
  const urn = new RegExp(`^urn:epcglobal:cbv:${type.toLowerCase()}:(.+)$`).exec(value);
  return web?.[1] ?? urn?.[1] ?? value;
};

const notMapped = (message: string): CaptureRefusal => ({ code: 'EPCIS_NOT_MAPPED', message });

/**
 * The scan's idempotency key: the eventID itself when it is a valid scan id
 * (`urn:uuid:...` is), else `epcis-` and the SHA-256 of the eventID (GS1's
 * `ni:///sha-256;...?ver=CBV2.0` ids hold '/', ';', '?'), else, for an event
 * without an eventID, of the event's content: the same event sent again is
 * the same scan, so a replay records nothing.
 */
export const scanIdOf = (event: Json): string => {
  const eventID = text(event.eventID);
  if (eventID !== null && ID_PATTERN.test(eventID)) return eventID;
  return `epcis-${requestHash(eventID ?? event)}`;
};

/** The Coldtrace lots an event counts (class-level identifiers in its quantityList). */
const lotEntries = (event: Json): { traceCode: string; entry: Json }[] =>
  objects(event.quantityList).flatMap((entry) => {
    const traceCode = typeof entry.epcClass === 'string' ? parseLotClassUrn(entry.epcClass) : null;
    return traceCode === null ? [] : [{ traceCode, entry }];
  });

const TEMPERATURE_TYPES = new Set(['Temperature', 'gs1:Temperature', 'https://gs1.org/voc/Temperature', 'http://gs1.org/voc/Temperature']);
const TO_CELSIUS: Readonly<Record<string, (v: number) => number>> = { CEL: (v) => v, FAH: (v) => ((v - 32) * 5) / 9, KEL: (v) => v - 273.15 };
/** When no sensor names its device (neither the report nor its element's metadata), nor the readPoint a place. */
export const UNNAMED_SENSOR = 'epcis-sensor';

/** One `Temperature` sensor report of an event: in °C (unrounded), when (null: not said), from which device, and where each was read. */
interface SensorReading {
  readonly celsius: number;
  readonly time: string | null;
  readonly deviceID: string | null;
  readonly valuePath: string;
  readonly timePath: string | null;
}

/**
 * The event's `Temperature` sensor reports, each its `value`, else
 * `maxValue`, else `meanValue`, at its own `time`, else its element's
 * `sensorMetadata.time`; from its own `deviceID`, else its element's. A
 * report with no value (an alert alone) is no reading; one in a unit we
 * cannot convert makes the event unreadable rather than silently warm.
 * Reports of other types say nothing here.
 */
const sensorReadingsOf = (event: Json): SensorReading[] | CaptureRefusal => {
  const readings: SensorReading[] = [];
  for (const [e, element] of (Array.isArray(event.sensorElementList) ? event.sensorElementList : []).entries()) {
    if (!isObject(element)) continue;
    const metadata = isObject(element.sensorMetadata) ? element.sensorMetadata : {};
    for (const [r, report] of (Array.isArray(element.sensorReport) ? element.sensorReport : []).entries()) {
      if (!isObject(report) || !TEMPERATURE_TYPES.has(text(report.type) ?? '')) continue;
      const field = (['value', 'maxValue', 'meanValue'] as const).find((f) => typeof report[f] === 'number');
      if (field === undefined) continue;
      const uom = text(report.uom) ?? 'CEL';
      const convert = Object.hasOwn(TO_CELSIUS, uom) ? TO_CELSIUS[uom] : undefined;
      if (!convert) return notMapped(`a temperature in ${uom} cannot be read (CEL, FAH or KEL)`);
      const path = `sensorElementList[${e}].sensorReport[${r}]`;
      const own = text(report.time);
      const time = own ?? text(metadata.time);
      readings.push({
        celsius: convert(report[field] as number),
        time,
        deviceID: text(report.deviceID) ?? text(metadata.deviceID),
        valuePath: `${path}.${field}`,
        timePath: own !== null ? `${path}.time` : time !== null ? `sensorElementList[${e}].sensorMetadata.time` : null,
      });
    }
  }
  return readings;
};

/**
 * A scan's own temperature in °C, to the tenth a scan records: the highest
 * of its readings (the one a cold chain fails on; a half tenth rounds to the
 * warmer side), or none.
 */
const spotTemperatureOf = (readings: readonly SensorReading[]): number | null => {
  if (readings.length === 0) return null;
  const tenths = Math.round(Math.max(...readings.map((r) => r.celsius)) * 10) / 10;
  return tenths === 0 ? 0 : tenths;
};

/** A reading's device as a device id: its deviceID (ours, or any URI that is an id; another as `epcis-` and its SHA-256), else the readPoint's, else UNNAMED_SENSOR. */
const deviceIdOf = (deviceID: string | null, event: Json): string => {
  const readPoint = isObject(event.readPoint) ? text(event.readPoint.id) : null;
  const uri = deviceID ?? readPoint;
  if (uri === null) return UNNAMED_SENSOR;
  return parseDeviceUri(uri) ?? `epcis-${requestHash(uri)}`;
};

/**
 * Readings logged for these lots, as the temperatures route takes them: per
 * lot and device, at most MAX_READINGS_PER_UPLOAD a request; °C to the
 * hundredth (the route's precision); a reading without a time at `eventTime`.
 */
const temperatureLogsOf = (event: Json, traceCodes: readonly string[], readings: readonly SensorReading[]): CaptureRequest[] => {
  const byDevice = new Map<string, { at: string; celsius: number; source: ReadingSource }[]>();
  const eventTime = text(event.eventTime) ?? '';
  for (const r of readings) {
    const deviceId = deviceIdOf(r.deviceID, event);
    const hundredths = Math.round(r.celsius * 100) / 100;
    const entry = { at: r.time ?? eventTime, celsius: hundredths === 0 ? 0 : hundredths, source: { at: r.timePath ?? 'eventTime', celsius: r.valuePath } };
    const list = byDevice.get(deviceId);
    if (list) list.push(entry);
    else byDevice.set(deviceId, [entry]);
  }
  return traceCodes.flatMap((traceCode) =>
    [...byDevice].flatMap(([deviceId, all]) => {
      const requests: CaptureRequest[] = [];
      for (let from = 0; from < all.length; from += MAX_READINGS_PER_UPLOAD) {
        const part = all.slice(from, from + MAX_READINGS_PER_UPLOAD);
        requests.push({
          kind: 'temperatures',
          traceCode,
          body: { deviceId, readings: part.map(({ at, celsius }) => ({ at, celsius })) },
          sources: part.map((p) => p.source),
        });
      }
      return requests;
    }),
  );
};

/** A reading at the scan's own instant (or at no stated time) is the scan's temperature; one at another time was logged by a device. */
const atEventTime = (event: Json) => {
  const eventTime = Date.parse(text(event.eventTime) ?? '');
  return (r: SensorReading): boolean => r.time === null || Date.parse(r.time) === eventTime;
};

/**
 * Readings named in a temperatures request's refusal (`readings[3].at`) by
 * where the event holds them (`sensorElementList[0].sensorReport[3].time`):
 * the sender knows its event, not the route's body.
 */
export const inEventTerms = (request: CaptureRequest, message: string): string =>
  request.kind !== 'temperatures'
    ? message
    : message.replace(/\breadings(?:\[(\d+)\](?:\.(at|celsius))?)?/g, (whole, index: string | undefined, field: 'at' | 'celsius' | undefined) => {
        const source = index === undefined ? undefined : request.sources[Number(index)];
        if (source === undefined) return index === undefined ? 'sensorElementList' : whole;
        return field === undefined ? source.celsius.replace(/\.[a-zA-Z]+$/, '') : source[field];
      });

/** Where the event happened: the facility of its bizLocation and readPoint (which must agree), the zone of either (readPoint first). */
const placeOf = (event: Json): { facilityId: string; zoneId: string | null } | CaptureRefusal => {
  const named = [event.readPoint, event.bizLocation].map((l) => (isObject(l) && typeof l.id === 'string' ? parseLocationUrn(l.id) : null));
  const [readPoint, bizLocation] = named;
  const places = named.filter((p) => p !== null);
  if (places.length === 0) return notMapped('neither readPoint nor bizLocation names a Coldtrace facility (urn:coldtrace:facility:<id>[:zone:<zoneId>])');
  if (readPoint && bizLocation && readPoint.facilityId !== bizLocation.facilityId) {
    return notMapped(`readPoint (${readPoint.facilityId}) and bizLocation (${bizLocation.facilityId}) name different facilities`);
  }
  return { facilityId: places[0].facilityId, zoneId: readPoint?.zoneId ?? bizLocation?.zoneId ?? null };
};

/** The facility a shipment goes to: its `location` destination (else any destination) that names a Coldtrace facility. */
const destinationOf = (event: Json): { toFacilityId: string | null } | CaptureRefusal => {
  const named = objects(event.destinationList).flatMap((d) => {
    const place = typeof d.destination === 'string' ? parseLocationUrn(d.destination) : null;
    return place ? [{ location: cbvTerm(text(d.type) ?? '', 'SDT') === 'location', facilityId: place.facilityId }] : [];
  });
  const preferred = named.some((d) => d.location) ? named.filter((d) => d.location) : named;
  const ids = [...new Set(preferred.map((d) => d.facilityId))];
  if (ids.length > 1) return notMapped(`the destinations name ${ids.length} facilities (${ids.join(', ')}); a shipment goes to one`);
  return { toFacilityId: ids[0] ?? null };
};

/**
 * What a SELL or DISPATCH carries of the lot's quantity, and the unit EPCIS
 * states it in (`uom`, UN/CEFACT; none means a count, our PIECE). Only a
 * unit Coldtrace does not record is refused here; whether it is the lot's
 * is the domain's to judge (UNIT_MISMATCH), inside the scan's transaction and
 * after its scope, so a capture learns nothing of a lot it may not touch.
 */
const quantityOf = (entry: Json): { quantity: number | null; unit: QuantityUnit | null } | CaptureRefusal => {
  if (typeof entry.quantity !== 'number') return { quantity: null, unit: null };
  const uom = text(entry.uom);
  const unit: QuantityUnit | null = uom === null ? 'PIECE' : unitOfUom(uom);
  if (unit === null) return { code: 'EPCIS_UNIT_MISMATCH', message: `${uom} is not a unit Coldtrace records (KGM, CT, H87)` };
  return { quantity: entry.quantity, unit };
};

/**
 * The vehicle, as the export writes it (`coldtrace:vehicle`, our extension:
 * `{plate, disinfectedAt}`), passed on as the scan's for the scan request's
 * own validation to judge; anything but an object is no vehicle.
 */
const vehicleOf = (event: Json): CapturedScan['vehicle'] | null => {
  const v = event['coldtrace:vehicle'];
  if (!isObject(v)) return null;
  return { plate: v.plate, ...(v.disinfectedAt === undefined || v.disinfectedAt === null ? {} : { disinfectedAt: v.disinfectedAt }) };
};

const isRefusal = (v: object): v is CaptureRefusal => !Array.isArray(v) && 'code' in v;

/** An ObjectEvent OBSERVE of a scan's bizStep as that scan (and the readings it logs), or why it is none. */
const scanOf = (event: Json, action: ScanAction): CaptureRequest[] | CaptureRefusal => {
  const lot = oneLot(event, 'a scan');
  if (isRefusal(lot)) return lot;
  const { traceCode, entry } = lot;
  const place = placeOf(event);
  if (isRefusal(place)) return place;
  const destination = action === 'DISPATCH' ? destinationOf(event) : { toFacilityId: null };
  if (isRefusal(destination)) return destination;
  const quantity = action === 'DISPATCH' || action === 'SELL' ? quantityOf(entry) : { quantity: null, unit: null };
  if (isRefusal(quantity)) return quantity;
  const readings = sensorReadingsOf(event);
  if (isRefusal(readings)) return readings;
  const own = atEventTime(event);
  const temperatureC = spotTemperatureOf(readings.filter(own));
  const vehicle = vehicleOf(event);
  const scan: CaptureRequest = {
    kind: 'scan',
    body: {
      scanId: scanIdOf(event),
      traceCode,
      facilityId: place.facilityId,
      action,
      occurredAt: text(event.eventTime) ?? '',
      ...(place.zoneId !== null ? { zoneId: place.zoneId } : {}),
      ...(destination.toFacilityId !== null ? { toFacilityId: destination.toFacilityId } : {}),
      ...(quantity.quantity !== null ? { quantity: quantity.quantity } : {}),
      ...(quantity.unit !== null ? { unit: quantity.unit } : {}),
      ...(temperatureC !== null ? { temperatureC } : {}),
      ...(vehicle !== null ? { vehicle } : {}),
    },
  };
  // The scan first: readings taken since it are then the lot's where it now is.
  return [scan, ...temperatureLogsOf(event, [traceCode], readings.filter((r) => !own(r)))];
};

/**
 * sensor_reporting: a device's readings for every lot the event counts,
 * each at its own time (else its element's, else the event's).
 */
const sensorReportOf = (event: Json): CaptureRequest[] | CaptureRefusal => {
  const traceCodes = [...new Set(lotEntries(event).map((l) => l.traceCode))];
  if (traceCodes.length === 0) return notMapped('the event names no Coldtrace lot (quantityList epcClass urn:coldtrace:lot:<traceCode>)');
  const readings = sensorReadingsOf(event);
  if (isRefusal(readings)) return readings;
  if (readings.length === 0) return notMapped('a sensor_reporting event logs Temperature readings (sensorElementList sensorReport with a value); this one has none');
  return temperatureLogsOf(event, traceCodes, readings);
};

/** The one Coldtrace lot an event counts, with its quantityList entry. */
const oneLot = (event: Json, what: string): { traceCode: string; entry: Json } | CaptureRefusal => {
  const lots = lotEntries(event);
  const traceCodes = [...new Set(lots.map((l) => l.traceCode))];
  if (traceCodes.length === 1) return lots[0];
  return notMapped(traceCodes.length === 0 ? 'the event names no Coldtrace lot (quantityList epcClass urn:coldtrace:lot:<traceCode>)' : `the event names ${traceCodes.length} lots; ${what} is of one`);
};

/** ilmd keys a registration reads: ours, the export's; origin as CBV's master data attribute (prefixed or bare). */
const ILMD = {
  productName: 'coldtrace:productName',
  productCategory: 'coldtrace:productCategory',
  importer: 'coldtrace:importer',
  countryOfOrigin: ['cbvmda:countryOfOrigin', 'countryOfOrigin', 'https://ref.gs1.org/cbv/countryOfOrigin'],
} as const;

/**
 * ADD + commissioning: the lot's registration at its port of entry (the
 * bizLocation), entered at eventTime, of the quantity its quantityList
 * states (with its uom). The product, its origin and importer are the
 * ilmd's, passed on as sent for the route's validation to judge.
 */
const registrationOf = (event: Json): CaptureRequest | CaptureRefusal => {
  const lot = oneLot(event, 'a registration');
  if (isRefusal(lot)) return lot;
  const quantity = quantityOf(lot.entry);
  if (isRefusal(quantity)) return quantity;
  if (quantity.quantity === null || quantity.unit === null) return notMapped('a commissioning event states the quantity registered (quantityList quantity and uom)');
  const place = placeOf(event);
  if (isRefusal(place)) return place;
  const ilmd = isObject(event.ilmd) ? event.ilmd : {};
  const origin = ILMD.countryOfOrigin.map((k) => ilmd[k]).find((v) => v !== undefined);
  return {
    kind: 'register',
    body: {
      traceCode: lot.traceCode,
      product: { name: ilmd[ILMD.productName], category: ilmd[ILMD.productCategory] },
      originCountry: origin,
      importer: ilmd[ILMD.importer],
      quantity: { amount: quantity.quantity, unit: quantity.unit },
      portOfEntryId: place.facilityId,
      enteredAt: text(event.eventTime) ?? '',
    },
  };
};

/** A nucleic-acid test's result as its inspection's disposition says it (CBV: conformant, non_conformant). */
export const RESULT_OF_DISPOSITION: ReadonlyMap<string, 'NEGATIVE' | 'POSITIVE'> = new Map([
  ['conformant', 'NEGATIVE'],
  ['non_conformant', 'POSITIVE'],
]);

/**
 * inspecting + certificationInfo: a document attached to the lot. Type and
 * number are the certificate's URN; issuer, issuedAt (default eventTime) and
 * validUntil the export's `coldtrace:document`; the test result the
 * disposition (any other disposition: none).
 */
const documentOf = (event: Json): CaptureRequest | CaptureRefusal => {
  const lot = oneLot(event, 'a document');
  if (isRefusal(lot)) return lot;
  const source = consequenceOf(event, 'coldtrace:documentSource', lot.traceCode);
  if (source) return source;
  const infos = (Array.isArray(event.certificationInfo) ? event.certificationInfo : [event.certificationInfo]).filter((v): v is string => typeof v === 'string');
  const named = infos.map(parseDocumentUrn).filter((d) => d !== null);
  if (named.length !== 1) {
    return notMapped(
      named.length === 0 ? 'certificationInfo names no Coldtrace document (urn:coldtrace:document:<type>:<number>)' : `certificationInfo names ${named.length} documents; attach one per event`,
    );
  }
  const extra = isObject(event['coldtrace:document']) ? event['coldtrace:document'] : {};
  const disposition = text(event.disposition);
  const result = disposition === null ? undefined : RESULT_OF_DISPOSITION.get(cbvTerm(disposition, 'Disp'));
  return {
    kind: 'attach',
    traceCode: lot.traceCode,
    body: {
      ...named[0],
      issuer: extra.issuer,
      issuedAt: extra.issuedAt ?? event.eventTime,
      ...(extra.validUntil === undefined || extra.validUntil === null ? {} : { validUntil: extra.validUntil }),
      ...(result === undefined ? {} : { result }),
    },
  };
};

/** A transformation's lots and their quantities (null: not stated), in one unit (the domain reads them in the lots' own). */
const portionsOf = (list: unknown, side: string): { portions: { traceCode: string; quantity: number | null }[]; uoms: Set<string | null> } | CaptureRefusal => {
  const portions: { traceCode: string; quantity: number | null }[] = [];
  const uoms = new Set<string | null>();
  for (const entry of objects(list)) {
    const traceCode = typeof entry.epcClass === 'string' ? parseLotClassUrn(entry.epcClass) : null;
    if (traceCode === null) return notMapped(`${side} names ${text(entry.epcClass) ?? 'a class'} that is not a Coldtrace lot`);
    const quantity = quantityOf(entry);
    if (isRefusal(quantity)) return quantity;
    if (quantity.quantity !== null) uoms.add(text(entry.uom));
    portions.push({ traceCode, quantity: quantity.quantity });
  }
  return { portions, uoms };
};

const sum = (portions: readonly CapturedPortion[]): number => Math.round(portions.reduce((a, p) => a + p.quantity, 0) * 1000) / 1000;

/**
 * A TransformationEvent: one input lot into several outputs is a split (the
 * input's quantity, when stated, their sum), several inputs into one output
 * a merge at its bizLocation (the output's quantity, when stated, theirs).
 * Its key is the split's or merge's id, so it is idempotent as theirs are.
 */
const transformationOf = (event: Json): CaptureRequest | CaptureRefusal => {
  const inputs = portionsOf(event.inputQuantityList, 'inputQuantityList');
  if (isRefusal(inputs)) return inputs;
  const outputs = portionsOf(event.outputQuantityList, 'outputQuantityList');
  if (isRefusal(outputs)) return outputs;
  if (new Set([...inputs.uoms, ...outputs.uoms]).size > 1) return notMapped('the quantities of a transformation are in one unit');
  const stated = (portions: { traceCode: string; quantity: number | null }[], side: string): CapturedPortion[] | CaptureRefusal =>
    portions.every((p) => p.quantity !== null) ? (portions as CapturedPortion[]) : notMapped(`${side}: every lot's quantity is stated`);
  const [ins, outs] = [inputs.portions, outputs.portions];
  const occurredAt = text(event.eventTime) ?? '';
  if (ins.length === 1 && outs.length >= 1) {
    const children = stated(outs, 'outputQuantityList');
    if (isRefusal(children)) return children;
    // The input's quantity, when stated, is what the outputs take (a check: the domain takes their sum).
    if (ins[0].quantity !== null && ins[0].quantity !== sum(children)) return notMapped(`a split takes from its input what its outputs hold: ${ins[0].quantity} is not ${sum(children)}`);
    return { kind: 'split', traceCode: ins[0].traceCode, body: { splitId: scanIdOf(event), children, occurredAt } };
  }
  if (ins.length >= 2 && outs.length === 1) {
    const parents = stated(ins, 'inputQuantityList');
    if (isRefusal(parents)) return parents;
    if (outs[0].quantity !== null && outs[0].quantity !== sum(parents)) return notMapped(`a merge's output holds what its inputs gave: ${outs[0].quantity} is not ${sum(parents)}`);
    const place = placeOf(event);
    if (isRefusal(place)) return place;
    return { kind: 'merge', body: { mergeId: scanIdOf(event), traceCode: outs[0].traceCode, parents, facilityId: place.facilityId, occurredAt } };
  }
  return notMapped(`a transformation of ${ins.length} lots into ${outs.length} is neither a split (one into several) nor a merge (several into one)`);
};

const terms = (v: unknown): string[] => (Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string').map((t) => cbvTerm(t, 'Disp')) : []);

/**
 * An event the export writes for a descendant as the consequence of an act
 * on its ancestor (a document reaching it, a lock or recall through it),
 * named by our extension: not an act of its own. Captured, the ancestor's
 * event does it again for every descendant; this one would act twice.
 */
const consequenceOf = (event: Json, field: string, traceCode: string): CaptureRefusal | null => {
  const ancestor = typeof event[field] === 'string' ? parseLotClassUrn(event[field]) : null;
  return ancestor === null || ancestor === traceCode ? null : notMapped(`${field} names ${ancestor}: this is what an act on that lot did here, captured with that lot's event`);
};

/**
 * holding: a hold set or lifted (persistentDisposition): `recalled` set is a
 * recall (its id the event's key), `non_sellable_other` set a lock, unset an
 * unlock; the reason is `coldtrace:reason`, as the export writes it.
 */
const holdOf = (event: Json): CaptureRequest | CaptureRefusal => {
  const lot = oneLot(event, 'a hold');
  if (isRefusal(lot)) return lot;
  const through = consequenceOf(event, 'coldtrace:heldThrough', lot.traceCode) ?? consequenceOf(event, 'coldtrace:recallOrigin', lot.traceCode);
  if (through) return through;
  const persistent = isObject(event.persistentDisposition) ? event.persistentDisposition : {};
  const [set, unset] = [terms(persistent.set), terms(persistent.unset)];
  const asks = [
    ...(set.includes('recalled') ? (['recall'] as const) : []),
    ...(set.includes('non_sellable_other') ? (['lock'] as const) : []),
    ...(unset.includes('non_sellable_other') ? (['unlock'] as const) : []),
  ];
  if (asks.length !== 1) {
    return notMapped(
      asks.length === 0
        ? 'a holding event sets recalled or non_sellable_other, or unsets non_sellable_other (persistentDisposition)'
        : `a holding event asks one thing; this one asks ${asks.join(' and ')}`,
    );
  }
  const reason = event['coldtrace:reason'];
  const [kind] = asks;
  return kind === 'recall'
    ? { kind, traceCode: lot.traceCode, body: { reason, recallId: scanIdOf(event) } }
    : { kind, traceCode: lot.traceCode, body: { reason } };
};

const destructionOf = (event: Json): CaptureRequest | CaptureRefusal => {
  const lot = oneLot(event, 'a destruction');
  if (isRefusal(lot)) return lot;
  return { kind: 'destroy', traceCode: lot.traceCode, body: { reason: event['coldtrace:reason'] } };
};

const OBJECT_STEPS = [...SCAN_OF_BIZSTEP.keys(), 'commissioning (ADD)', 'inspecting', 'holding', 'destroying', SENSOR_REPORTING_BIZ_STEP].join(', ');

/** What an event asks: by its type, action and bizStep (see the capture table in docs/epcis.md). */
const requestOf = (event: Json): CaptureRequest | CaptureRequest[] | CaptureRefusal => {
  if (event.type === 'TransformationEvent') return transformationOf(event);
  if (event.type !== 'ObjectEvent') return notMapped(`a ${text(event.type) ?? 'typeless event'} is not a Coldtrace command; ObjectEvents and TransformationEvents are`);
  const raw = text(event.bizStep);
  const bizStep = raw === null ? null : cbvTerm(raw, 'BizStep');
  const action = text(event.action);
  if (bizStep === 'commissioning' && action === 'ADD') return registrationOf(event);
  if (bizStep === 'destroying' && action !== 'ADD') return destructionOf(event);
  if (action !== 'OBSERVE') return notMapped(`an ObjectEvent with action ${action} and bizStep ${raw ?? '(none)'} is not a Coldtrace command`);
  const scan = bizStep === null ? undefined : SCAN_OF_BIZSTEP.get(bizStep);
  if (scan) return scanOf(event, scan);
  if (bizStep === 'inspecting') return documentOf(event);
  if (bizStep === 'holding') return holdOf(event);
  if (bizStep === SENSOR_REPORTING_BIZ_STEP) return sensorReportOf(event);
  return notMapped(`bizStep ${raw ?? '(none)'} is not a Coldtrace command; those are ${OBJECT_STEPS}`);
};

/** Every request an event asks, in the order they are recorded. */
const requestsOf = (event: Json): CaptureRequest[] | CaptureRefusal => {
  const request = requestOf(event);
  return Array.isArray(request) || isRefusal(request) ? request : [request];
};

/** One event as the requests it is, or why it is none. */
export const captureLine = (raw: unknown): CaptureLine => {
  const event: Json = isObject(raw) ? raw : {};
  const eventID = text(event.eventID);
  const requests = requestsOf(event);
  if (isRefusal(requests)) return { eventID, refused: requests };
  const [first, ...rest] = requests;
  return { eventID, key: scanIdOf(event), requests: [first, ...rest] };
};

/** Every event of a document, in order. */
export const captureLines = (events: readonly unknown[]): CaptureLine[] => events.map((e) => captureLine(e));
