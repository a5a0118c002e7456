import { LotEvent, LotEventType, QuantityUnit, ScanFacts, toLotEvent, Vehicle } from '@app/domain';
import { deviceUri, documentUrn, facilityUrn, locationUrn, lotClassUrn, transformationUrn, UNIT_TO_UOM } from './epcis-identifiers';

/**
 * Coldtrace lot events as GS1 EPCIS 2.0 events: one pure function, the
 * mapping table of docs/epcis.md. Lots are class-level (a lot is
 * a quantity of one product), so events carry `quantityList`, never `epcList`.
 * Terms of our own are `coldtrace:` (`urn:coldtrace:epcis:`, declared in the
 * document's `@context`), as EPCIS extensions are.
 */

/** The JSON-LD prefix of Coldtrace's extension terms, declared in every document's `@context`. */
export const COLDTRACE_EPCIS_NAMESPACE = 'urn:coldtrace:epcis:';
/** CBV has no step for disinfecting goods; ours, as CBV allows (any URI outside its own namespace). */
export const DISINFECTING_BIZ_STEP = 'urn:coldtrace:bizstep:disinfecting';
/** CBV 2.0's step for an event that reports sensor data: a device's temperature log. */
export const SENSOR_REPORTING_BIZ_STEP = 'sensor_reporting';

export type EpcisEventType = 'ObjectEvent' | 'TransformationEvent';

export interface EpcisQuantity {
  readonly epcClass: string;
  readonly quantity?: number;
  readonly uom?: string;
}

interface EpcisEventCommon {
  readonly eventID: string;
  readonly eventTime: string;
  readonly eventTimeZoneOffset: string;
  readonly recordTime: string;
  readonly bizStep?: string;
  readonly disposition?: string;
  readonly persistentDisposition?: { readonly set?: readonly string[]; readonly unset?: readonly string[] };
  readonly readPoint?: { readonly id: string };
  readonly bizLocation?: { readonly id: string };
  readonly sourceList?: readonly { readonly type: string; readonly source: string }[];
  readonly destinationList?: readonly { readonly type: string; readonly destination: string }[];
  readonly sensorElementList?: readonly SensorElement[];
  readonly certificationInfo?: string;
  readonly ilmd?: Readonly<Record<string, unknown>>;
  /** Extensions: `coldtrace:<term>`. */
  readonly [extension: `coldtrace:${string}`]: unknown;
}

export interface EpcisObjectEvent extends EpcisEventCommon {
  readonly type: 'ObjectEvent';
  readonly action: 'ADD' | 'OBSERVE' | 'DELETE';
  readonly quantityList: readonly EpcisQuantity[];
}

export interface EpcisTransformationEvent extends EpcisEventCommon {
  readonly type: 'TransformationEvent';
  readonly transformationID: string;
  readonly inputQuantityList: readonly EpcisQuantity[];
  readonly outputQuantityList: readonly EpcisQuantity[];
}

export type EpcisEvent = EpcisObjectEvent | EpcisTransformationEvent;

/** A scan's own reading (its time the element's), or a logged device's readings (each its own time). */
interface SensorElement {
  readonly sensorMetadata: { readonly time: string } | { readonly deviceID: string };
  readonly sensorReport: readonly { readonly type: 'Temperature'; readonly value: number; readonly uom: 'CEL'; readonly time?: string }[];
}

/** A stored lot event as the event store (or `lot_history`) holds it, with its lot's unit (from the lot's first event). */
export interface StoredLotEvent {
  readonly eventId: string;
  readonly traceCode: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** The lot's unit: sales, dispatches and a split's portions are counted in it. */
  readonly unit: QuantityUnit;
  /** A TemperaturesRecorded's readings, kept beside it (`temperature_uploads`): required for one, ignored otherwise. */
  readonly readings?: readonly { readonly at: string; readonly celsius: number }[];
}

export interface EpcisMappingOptions {
  /** `EPCIS_TIME_ZONE_OFFSET`: the offset the event's local time had (`+08:00`). */
  readonly timeZoneOffset: string;
}

/**
 * Which EPCIS event types each Coldtrace type can become: lets a query skip
 * what cannot match before reading it. The unit tests hold the mapping to it.
 */
export const EPCIS_TYPES_OF: Readonly<Record<LotEventType, readonly EpcisEventType[]>> = {
  LotRegistered: ['ObjectEvent'],
  DocumentAttached: ['ObjectEvent'],
  LotLocked: ['ObjectEvent'],
  LotUnlocked: ['ObjectEvent'],
  LotReceived: ['ObjectEvent'],
  LotStored: ['ObjectEvent'],
  LotDisinfected: ['ObjectEvent'],
  LotSampled: ['ObjectEvent'],
  LotDispatched: ['ObjectEvent'],
  LotSold: ['ObjectEvent'],
  LotSplit: ['TransformationEvent'],
  // A merge's one TransformationEvent comes from the merged lot's LotDerived; a split child's LotDerived
  // says only what holds it inherited (an ObjectEvent, when any).
  LotDerived: ['TransformationEvent', 'ObjectEvent'],
  LotMerged: [],
  LotRecalled: ['ObjectEvent'],
  LotDestroyed: ['ObjectEvent'],
  // Judgements about the record, not observations of goods: not exported.
  TraceViolationRecorded: [],
  ComplianceFlagRaised: [],
  ViolationResolved: [],
  CustodyCorrected: [],
  TemperatureFindingRecorded: [],
  // An upload's readings travel as the sensorElementList of an ObjectEvent about the lot.
  TemperaturesRecorded: ['ObjectEvent'],
};

const iso = (t: string): string => new Date(t).toISOString();

const uom = (unit: QuantityUnit): string => UNIT_TO_UOM[unit];

/** The whole lot, with no amount: what a lock, recall or destruction applies to. */
const wholeLot = (traceCode: string): EpcisQuantity[] => [{ epcClass: lotClassUrn(traceCode) }];
const portion = (traceCode: string, quantity: number, unit: QuantityUnit): EpcisQuantity => ({ epcClass: lotClassUrn(traceCode), quantity, uom: uom(unit) });

/** A reading taken with the scan, as EPCIS sensor data (°C: UN/CEFACT `CEL`). */
const sensors = (scan: ScanFacts): Pick<EpcisEventCommon, 'sensorElementList'> =>
  scan.temperatureC === null
    ? {}
    : { sensorElementList: [{ sensorMetadata: { time: iso(scan.occurredAt) }, sensorReport: [{ type: 'Temperature', value: scan.temperatureC, uom: 'CEL' }] }] };

/** Where a scan happened: the zone when it names one (readPoint), and the business location the goods are at. */
const at = (scan: ScanFacts) => {
  const place = { id: locationUrn(scan.facilityId, scan.zoneId) };
  return { readPoint: place, bizLocation: place };
};

const scanRef = (scan: ScanFacts) => ({ 'coldtrace:scanId': scan.scanId });
const vehicleOf = (vehicle: Vehicle | null) => (vehicle === null ? {} : { 'coldtrace:vehicle': { plate: vehicle.plate, disinfectedAt: vehicle.disinfectedAt } });
/** One value when there is one, else the list (JSON-LD reads both). */
const oneOrMany = (values: readonly string[]): string | string[] => (values.length === 1 ? values[0] : [...values]);

/** Every field the product and its origin give a new class of goods (EPCIS `ilmd`: instance/lot master data). */
const lotMasterData = (product: { name: string; category: string }, originCountries: readonly string[], importers: readonly string[]) => ({
  'cbvmda:countryOfOrigin': oneOrMany(originCountries),
  'coldtrace:productName': product.name,
  'coldtrace:productCategory': product.category,
  'coldtrace:importer': oneOrMany(importers),
});

/**
 * One stored lot event as EPCIS events (none, or one). Older schema versions
 * are upcast first (`toLotEvent`), so every version maps the same way.
 * `eventID` is the stored event's id, so an export read twice names its
 * events alike and a capture can tell it has them already.
 */
export const toEpcisEvents = (stored: StoredLotEvent, options: EpcisMappingOptions): EpcisEvent[] => {
  const event: LotEvent = toLotEvent(stored.type, stored.schemaVersion, stored.data);
  const lot = stored.traceCode;
  const common = {
    eventID: `urn:uuid:${stored.eventId}`,
    eventTime: iso(stored.occurredAt),
    eventTimeZoneOffset: options.timeZoneOffset,
    recordTime: iso(stored.recordedAt),
  };
  const observe = (fields: Omit<EpcisObjectEvent, 'type' | 'action' | keyof typeof common>, action: EpcisObjectEvent['action'] = 'OBSERVE'): EpcisObjectEvent[] => [
    { type: 'ObjectEvent', ...common, action, ...fields },
  ];
  switch (event.type) {
    case 'LotRegistered': {
      const d = event.data;
      const port = { id: facilityUrn(d.portOfEntryId) };
      return observe(
        {
          quantityList: [portion(lot, d.quantity.amount, d.quantity.unit)],
          bizStep: 'commissioning',
          disposition: 'active',
          readPoint: port,
          bizLocation: port,
          ilmd: lotMasterData(d.product, [d.originCountry], [d.importer]),
        },
        'ADD',
      );
    }
    case 'DocumentAttached': {
      const { document: doc, source } = event.data;
      const test = doc.result === null ? {} : { disposition: doc.result === 'NEGATIVE' ? 'conformant' : 'non_conformant' };
      return observe({
        quantityList: wholeLot(lot),
        bizStep: 'inspecting',
        ...test,
        certificationInfo: documentUrn(doc.type, doc.number),
        'coldtrace:document': { ...doc },
        // Attached to an ancestor and reached this lot through the genealogy.
        ...(source === null ? {} : { 'coldtrace:documentSource': lotClassUrn(source.traceCode) }),
      });
    }
    case 'LotDispatched': {
      const d = event.data;
      // In transit: no business location until received; where from and where to are the source and destination.
      return observe({
        quantityList: [portion(lot, d.quantity, stored.unit)],
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: locationUrn(d.facilityId, d.zoneId) },
        sourceList: [{ type: 'location', source: facilityUrn(d.facilityId) }],
        destinationList: [{ type: 'location', destination: facilityUrn(d.toFacilityId) }],
        ...sensors(d),
        ...scanRef(d),
        ...vehicleOf(d.vehicle),
      });
    }
    case 'LotReceived': {
      const d = event.data;
      return observe({
        quantityList: wholeLot(lot),
        bizStep: 'receiving',
        disposition: 'in_progress',
        ...at(d),
        ...(d.fromFacilityId === null ? {} : { sourceList: [{ type: 'location', source: facilityUrn(d.fromFacilityId) }] }),
        destinationList: [{ type: 'location', destination: facilityUrn(d.facilityId) }],
        ...sensors(d),
        ...scanRef(d),
        ...vehicleOf(d.vehicle),
      });
    }
    case 'LotStored': {
      const d = event.data;
      // Into a dedicated sales zone the goods are on the shelf: CBV's stocking, sellable and accessible.
      const step = d.zoneKind === 'DEDICATED_SALES' ? { bizStep: 'stocking', disposition: 'sellable_accessible' } : { bizStep: 'storing' };
      return observe({ quantityList: wholeLot(lot), ...step, ...at(d), ...sensors(d), ...scanRef(d) });
    }
    case 'LotSampled': {
      const d = event.data;
      return observe({ quantityList: wholeLot(lot), bizStep: 'sampling', ...at(d), ...sensors(d), ...scanRef(d) });
    }
    case 'LotDisinfected': {
      const d = event.data;
      return observe({ quantityList: wholeLot(lot), bizStep: DISINFECTING_BIZ_STEP, ...at(d), ...sensors(d), ...scanRef(d), ...vehicleOf(d.vehicle) });
    }
    case 'LotSold': {
      const d = event.data;
      return observe({
        quantityList: [portion(lot, d.quantity, stored.unit)],
        bizStep: 'retail_selling',
        disposition: 'retail_sold',
        ...at(d),
        ...sensors(d),
        ...scanRef(d),
      });
    }
    case 'LotSplit': {
      // One TransformationEvent per split, from the parent's side (the children's LotDerived would repeat it once each).
      const d = event.data;
      const taken = d.children.reduce((sum, c) => sum + c.quantity, 0);
      const place = { id: facilityUrn(d.facilityId) };
      return [
        {
          type: 'TransformationEvent',
          ...common,
          transformationID: transformationUrn('SPLIT', d.splitId),
          inputQuantityList: [portion(lot, taken, stored.unit)],
          outputQuantityList: d.children.map((c) => portion(c.traceCode, c.quantity, stored.unit)),
          bizStep: 'repackaging',
          readPoint: place,
          bizLocation: place,
        },
      ];
    }
    case 'LotDerived': {
      const d = event.data;
      // Holds the new lot inherited with it (its parents' locks and recalls), as lock and recall events state them.
      const inherited = [...(d.recalls.length > 0 ? ['recalled'] : []), ...(d.ancestorLocks.length > 0 ? ['non_sellable_other'] : [])];
      const holds = inherited.length > 0 ? { persistentDisposition: { set: inherited } } : {};
      if (d.kind === 'MERGE') {
        // One TransformationEvent per merge, from the merged lot's side (each parent's LotMerged would repeat it).
        const place = { id: facilityUrn(d.custody.facilityId) };
        return [
          {
            type: 'TransformationEvent',
            ...common,
            transformationID: transformationUrn('MERGE', d.operationId),
            inputQuantityList: d.parents.map((p) => portion(p.traceCode, p.quantity, d.quantity.unit)),
            outputQuantityList: [portion(lot, d.quantity.amount, d.quantity.unit)],
            bizStep: 'repackaging',
            readPoint: place,
            bizLocation: place,
            ...holds,
            ilmd: lotMasterData(d.product, d.originCountries, d.importers),
          },
        ];
      }
      // A split child: its making is the parent's TransformationEvent; only inherited holds are news.
      return inherited.length === 0
        ? []
        : observe({ quantityList: wholeLot(lot), bizStep: 'holding', disposition: inherited[0], ...holds, bizLocation: { id: facilityUrn(d.custody.facilityId) } });
    }
    case 'LotLocked': {
      const d = event.data;
      return observe({
        quantityList: wholeLot(lot),
        bizStep: 'holding',
        disposition: 'non_sellable_other',
        persistentDisposition: { set: ['non_sellable_other'] },
        'coldtrace:reason': d.reason,
        ...(d.ancestor === null ? {} : { 'coldtrace:heldThrough': lotClassUrn(d.ancestor) }),
      });
    }
    case 'LotUnlocked': {
      const d = event.data;
      // The lock's hold lifted; whatever else blocks the lot (a recall) stays set.
      return observe({
        quantityList: wholeLot(lot),
        bizStep: 'holding',
        persistentDisposition: { unset: ['non_sellable_other'] },
        'coldtrace:reason': d.reason,
        ...(d.ancestor === null ? {} : { 'coldtrace:heldThrough': lotClassUrn(d.ancestor) }),
      });
    }
    case 'LotRecalled': {
      const d = event.data;
      return observe({
        quantityList: wholeLot(lot),
        bizStep: 'holding',
        disposition: 'recalled',
        persistentDisposition: { set: ['recalled'] },
        ...(d.holderFacilityId === null ? {} : { bizLocation: { id: facilityUrn(d.holderFacilityId) } }),
        'coldtrace:recallId': d.recallId,
        'coldtrace:reason': d.reason,
        'coldtrace:recallOrigin': lotClassUrn(d.origin),
      });
    }
    case 'LotDestroyed': {
      const d = event.data;
      return observe(
        {
          quantityList: wholeLot(lot),
          bizStep: 'destroying',
          disposition: 'destroyed',
          ...(d.holderFacilityId === null ? {} : { bizLocation: { id: facilityUrn(d.holderFacilityId) } }),
          'coldtrace:reason': d.reason,
        },
        'DELETE',
      );
    }
    case 'LotMerged':
    case 'TraceViolationRecorded':
    case 'ComplianceFlagRaised':
    case 'ViolationResolved':
    case 'CustodyCorrected':
    case 'TemperatureFindingRecorded':
      return [];
    case 'TemperaturesRecorded': {
      const d = event.data;
      // The summary alone is no observation: an upload without its readings is a caller's mistake, not an empty log.
      if (!stored.readings) throw new Error(`the readings of upload ${d.uploadId} were not loaded`);
      const place = d.facilityId === null ? {} : { readPoint: { id: facilityUrn(d.facilityId) }, bizLocation: { id: facilityUrn(d.facilityId) } };
      return observe({
        quantityList: wholeLot(lot),
        bizStep: SENSOR_REPORTING_BIZ_STEP,
        ...place,
        sensorElementList: [
          {
            sensorMetadata: { deviceID: deviceUri(d.deviceId) },
            sensorReport: stored.readings.map((r) => ({ type: 'Temperature', value: r.celsius, uom: 'CEL', time: iso(r.at) })),
          },
        ],
      });
    }
    default: {
      const unknown: never = event;
      throw new Error(`no EPCIS mapping for ${(unknown as LotEvent).type}`);
    }
  }
};

/** Every lot class an EPCIS event names (MATCH_anyEPCClass matches any of them). */
export const epcClassesOf = (event: EpcisEvent): string[] =>
  event.type === 'ObjectEvent'
    ? event.quantityList.map((q) => q.epcClass)
    : [...event.inputQuantityList, ...event.outputQuantityList].map((q) => q.epcClass);
