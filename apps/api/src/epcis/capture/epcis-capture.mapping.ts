import type { QuantityUnit, ScanAction } from '@app/domain';
import { requestHash } from '../../common/commands/request-hash';
import { ID_PATTERN } from '../../common/http/identifiers';
import { parseLocationUrn, parseLotClassUrn, unitOfUom } from '../epcis-identifiers';
import { DISINFECTING_BIZ_STEP } from '../epcis-mapping';

/**
 * EPCIS capture: which ObjectEvents are Coldtrace scans, and as which scan.
 * Pure translation, nothing judged: the scans it yields are recorded through
 * the same command path as POST /api/scans/batch, so the domain (and the
 * key's facility scope) decide exactly as they do for a scanner. Here only
 * what cannot be a scan at all is refused.
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

/** One event of the document: the scan it is, or why it is none. */
export type CaptureLine =
  | { readonly eventID: string | null; readonly scan: CapturedScan; readonly refused?: undefined }
  | { readonly eventID: string | null; readonly scan?: undefined; readonly refused: CaptureRefusal };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A CBV term written bare (`shipping`), as a GS1 Web URI (`https://ref.gs1.org/cbv/BizStep-shipping`) or an EPCIS 1.x URN (`urn:epcglobal:cbv:bizstep:shipping`). */
const cbvTerm = (value: string, type: 'BizStep' | 'SDT'): string => {
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

/**
 * The event's temperature in °C, to the tenth a scan records: the highest
 * reading (the one a cold chain fails on; a half tenth rounds to the warmer
 * side) of its `Temperature` sensor
 * reports, each its `value`, else `maxValue`, else `meanValue`. A report
 * with none of them (an alert alone) says no temperature; one in a unit we
 * cannot convert makes the event unreadable rather than silently warm.
 */
const temperatureOf = (event: Json): { celsius: number | null } | CaptureRefusal => {
  const readings: number[] = [];
  for (const element of objects(event.sensorElementList)) {
    for (const report of objects(element.sensorReport)) {
      if (!TEMPERATURE_TYPES.has(text(report.type) ?? '')) continue;
      const value = [report.value, report.maxValue, report.meanValue].find((v): v is number => typeof v === 'number');
      if (value === undefined) continue;
      const uom = text(report.uom) ?? 'CEL';
      const convert = Object.hasOwn(TO_CELSIUS, uom) ? TO_CELSIUS[uom] : undefined;
      if (!convert) return notMapped(`a temperature in ${uom} cannot be read (CEL, FAH or KEL)`);
      readings.push(convert(value));
    }
  }
  if (readings.length === 0) return { celsius: null };
  const tenths = Math.round(Math.max(...readings) * 10) / 10;
  return { celsius: tenths === 0 ? 0 : tenths };
};

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

const isRefusal = (v: object): v is CaptureRefusal => 'code' in v;

/** One event as the scan it is, or why it is none. */
export const captureLine = (raw: unknown): CaptureLine => {
  const event: Json = isObject(raw) ? raw : {};
  const eventID = text(event.eventID);
  const refuse = (refused: CaptureRefusal): CaptureLine => ({ eventID, refused });
  if (event.type !== 'ObjectEvent') return refuse(notMapped(`a ${text(event.type) ?? 'typeless event'} is not a scan; only ObjectEvents are`));
  if (event.action !== 'OBSERVE') return refuse(notMapped(`an ObjectEvent with action ${text(event.action)} is not a scan; scans are OBSERVE`));
  const bizStep = text(event.bizStep);
  const action = bizStep === null ? undefined : SCAN_OF_BIZSTEP.get(cbvTerm(bizStep, 'BizStep'));
  if (!action) return refuse(notMapped(`bizStep ${bizStep ?? '(none)'} is not a scan; scans are ${[...SCAN_OF_BIZSTEP.keys()].join(', ')}`));
  const lots = lotEntries(event);
  const traceCodes = [...new Set(lots.map((l) => l.traceCode))];
  if (traceCodes.length !== 1) {
    return refuse(notMapped(traceCodes.length === 0 ? 'the event names no Coldtrace lot (quantityList epcClass urn:coldtrace:lot:<traceCode>)' : `the event names ${traceCodes.length} lots; a scan is of one`));
  }
  const [traceCode] = traceCodes;
  const place = placeOf(event);
  if (isRefusal(place)) return refuse(place);
  const destination = action === 'DISPATCH' ? destinationOf(event) : { toFacilityId: null };
  if (isRefusal(destination)) return refuse(destination);
  const quantity = action === 'DISPATCH' || action === 'SELL' ? quantityOf(lots[0].entry) : { quantity: null, unit: null };
  if (isRefusal(quantity)) return refuse(quantity);
  const temperature = temperatureOf(event);
  if (isRefusal(temperature)) return refuse(temperature);
  const vehicle = vehicleOf(event);
  return {
    eventID,
    scan: {
      scanId: scanIdOf(event),
      traceCode,
      facilityId: place.facilityId,
      action,
      occurredAt: text(event.eventTime) ?? '',
      ...(place.zoneId !== null ? { zoneId: place.zoneId } : {}),
      ...(destination.toFacilityId !== null ? { toFacilityId: destination.toFacilityId } : {}),
      ...(quantity.quantity !== null ? { quantity: quantity.quantity } : {}),
      ...(quantity.unit !== null ? { unit: quantity.unit } : {}),
      ...(temperature.celsius !== null ? { temperatureC: temperature.celsius } : {}),
      ...(vehicle !== null ? { vehicle } : {}),
    },
  };
};

/** Every event of a document, in order. */
export const captureLines = (events: readonly unknown[]): CaptureLine[] => events.map((e) => captureLine(e));
