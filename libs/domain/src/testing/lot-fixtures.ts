/**
 * Test fixtures for the lot and facility deciders: a clock, registered facilities
 * (built through facilityDecider), command builders, papers, and ready-made histories
 * built through lotDecider (so every fixture event is one the domain really decides).
 */
import { DEFAULT_TEMPERATURE_RULES, TemperatureReading, TemperatureRules } from '../lot/temperature.rules';
import { facilityDecider } from '../facility/facility.decider';
import { FacilityRef, FacilityType, Zone, ZoneKind } from '../facility/facility.types';
import {
  AttachDocument,
  DestroyLot,
  LockLot,
  SingleLotCommand,
  RecallLot,
  RecordScan,
  RecordTemperatures,
  RegisterLot,
  SplitLot,
  UnlockLot,
} from '../lot/lot.commands';
import { lotDecider } from '../lot/lot.decider';
import { LotEvent, LotSplit, ScanFacts } from '../lot/lot.events';
import { deriveSplitChildren, MergeInput } from '../lot/lot.genealogy';
import { LotState } from '../lot/lot.state';
import {
  DocumentType,
  LotDocument,
  LotPortion,
  ScanAction,
  TestResult,
  Vehicle,
} from '../lot/lot.types';
import { ReasonCode, REASON_CODES } from '../lot/sale-eligibility.policy';
import { DomainError } from '../shared/domain-error';
import { history, History } from './given-when-then';

// ---------------------------------------------------------------- clock

/** All fixtures happen around this instant. */
export const T0 = Date.parse('2022-04-01T00:00:00.000Z');
const HOUR = 3_600_000;
/** `hours` after T0 as a Date (what deciders take as `now`). */
export const at = (hours: number): Date => new Date(T0 + hours * HOUR);
/** `hours` after T0 as a normalised ISO string (what events carry). */
export const iso = (hours: number): string => at(hours).toISOString();
export const DAY = 24;

// ---------------------------------------------------------------- facilities

/** A facility as the caller resolves it: registered through facilityDecider, read back from its state. */
export const registeredFacility = (id: string, type: FacilityType, zones: Zone[]): FacilityRef => {
  const state = history(facilityDecider)
    .run({ type: 'RegisterFacility', data: { id, name: `${type} ${id}`, type, zones } }, at(-30 * DAY))
    .state;
  if (!state.facility) throw new Error(`fixture facility ${id} was not registered`);
  return { id: state.facility.id, type: state.facility.type, zones: state.facility.zones };
};

export const PORT = registeredFacility('port-1', 'PORT_OF_ENTRY', [
  { id: 'port-intake', kind: 'DEDICATED_INTAKE' },
  { id: 'port-storage', kind: 'DEDICATED_STORAGE' },
]);
export const WAREHOUSE = registeredFacility('cw-1', 'CENTRAL_WAREHOUSE', [
  { id: 'cw-intake', kind: 'DEDICATED_INTAKE' },
  { id: 'cw-storage', kind: 'DEDICATED_STORAGE' },
  { id: 'cw-general', kind: 'GENERAL' },
]);
export const MARKET = registeredFacility('wm-1', 'WHOLESALE_MARKET', [
  { id: 'wm-intake', kind: 'DEDICATED_INTAKE' },
  { id: 'wm-storage', kind: 'DEDICATED_STORAGE' },
  { id: 'wm-sales', kind: 'DEDICATED_SALES' },
]);
export const STORE = registeredFacility('rs-1', 'RETAIL_STORE', [
  { id: 'rs-intake', kind: 'DEDICATED_INTAKE' },
  { id: 'rs-sales', kind: 'DEDICATED_SALES' },
  { id: 'rs-general', kind: 'GENERAL' },
]);
export const OTHER_STORE = registeredFacility('rs-2', 'RETAIL_STORE', [
  { id: 'rs2-intake', kind: 'DEDICATED_INTAKE' },
  { id: 'rs2-sales', kind: 'DEDICATED_SALES' },
]);

// ---------------------------------------------------------------- commands

export const TRACE_CODE = 'CT-2022-0001';

export const registerLot = (overrides: Partial<RegisterLot['data']> = {}): RegisterLot => ({
  type: 'RegisterLot',
  data: {
    traceCode: TRACE_CODE,
    product: { name: 'Frozen beef brisket', category: 'FROZEN' },
    originCountry: 'br',
    importer: 'Harbour Foods Ltd',
    quantity: { amount: 100, unit: 'KG' },
    portOfEntry: PORT,
    enteredAt: iso(0),
    ...overrides,
  },
});

export const attach = (document: LotDocument): AttachDocument => ({ type: 'AttachDocument', data: { document } });
export const lock = (reason = 'regulator hold'): LockLot => ({ type: 'LockLot', data: { reason } });
export const unlock = (reason = 'hold lifted'): UnlockLot => ({ type: 'UnlockLot', data: { reason } });
/** The lock of `ancestor` reaching this lot (what the lock fan-out sends to every descendant). */
export const lockThrough = (ancestor: string, reason = `lot ${ancestor} is locked`): LockLot => ({ type: 'LockLot', data: { reason, ancestor } });
export const unlockThrough = (ancestor: string, reason = `lot ${ancestor} was released`): UnlockLot => ({
  type: 'UnlockLot',
  data: { reason, ancestor },
});
export const recall = (overrides: Partial<RecallLot['data']> = {}): RecallLot => ({
  type: 'RecallLot',
  data: { recallId: 'RC-1', origin: TRACE_CODE, reason: 'positive sample on the packaging', source: 'REGULATOR', ...overrides },
});
/**
 * A device's readings every 5 minutes from hour `fromHour` for `count`
 * readings, each at `celsius(i)`: an upload judged with `log` (what the lot's
 * log held before) under the default rules.
 */
export const logTemperatures = (
  fromHour: number,
  count: number,
  celsius: (i: number) => number,
  options: { log?: readonly TemperatureReading[]; deviceId?: string; uploadId?: string; facilityId?: string | null } = {},
): RecordTemperatures => ({
  type: 'RecordTemperatures',
  data: {
    uploadId: options.uploadId ?? 'UP-1',
    deviceId: options.deviceId ?? 'reefer-1',
    facilityId: options.facilityId === undefined ? STORE.id : options.facilityId,
    readings: Array.from({ length: count }, (_, i) => ({ at: new Date(at(fromHour).getTime() + i * 5 * 60_000).toISOString(), celsius: celsius(i) })),
    log: options.log ?? [],
    rules: DEFAULT_TEMPERATURE_RULES,
  },
});

export const destroy = (reason = 'incinerated under supervision'): DestroyLot => ({ type: 'DestroyLot', data: { reason } });
export const splitLot = (children: readonly LotPortion[], occurredAt: string, splitId = 'SPLIT-1'): SplitLot => ({
  type: 'SplitLot',
  data: { splitId, children: children.map((c) => ({ ...c })), occurredAt },
});

export interface ScanOptions {
  readonly zoneId?: string | null;
  readonly to?: FacilityRef | null;
  readonly vehicle?: Vehicle | null;
  readonly quantity?: number | null;
  readonly temperatureC?: number | null;
  readonly temperatureRules?: TemperatureRules;
  readonly scanId?: string;
}

export const scan = (action: ScanAction, facility: FacilityRef, occurredAt: string, options: ScanOptions = {}): RecordScan => ({
  type: 'RecordScan',
  data: {
    scanId: options.scanId ?? `scan-${action.toLowerCase()}-${facility.id}-${occurredAt}`,
    action,
    facility,
    zoneId: options.zoneId ?? null,
    toFacility: options.to ?? null,
    occurredAt,
    vehicle: options.vehicle ?? null,
    quantity: options.quantity ?? null,
    temperatureC: options.temperatureC ?? null,
    temperatureRules: options.temperatureRules ?? DEFAULT_TEMPERATURE_RULES,
  },
});

/** The facts a scan event carries, as the decider builds them from the scan. */
export const scanFacts = (
  scanId: string,
  facility: FacilityRef,
  zoneId: string | null,
  zoneKind: ZoneKind | null,
  occurredAt: string,
  temperatureC: number | null = null,
): ScanFacts => ({ scanId, facilityId: facility.id, facilityType: facility.type, zoneId, zoneKind, occurredAt, temperatureC });

export const truck = (plate = 'SH-A12345', disinfectedAt: string | null = iso(-1)): Vehicle => ({ plate, disinfectedAt });

// ---------------------------------------------------------------- papers

const paper = (type: DocumentType, number: string, overrides: Partial<LotDocument>, result: TestResult | null = null): LotDocument => ({
  type,
  number,
  issuer: 'issuer',
  issuedAt: iso(-DAY),
  validUntil: null,
  result,
  ...overrides,
});

export const customsDeclaration = (overrides: Partial<LotDocument> = {}): LotDocument =>
  paper('CUSTOMS_DECLARATION', 'CD-001', { issuer: 'Customs', ...overrides });
export const inspectionCertificate = (overrides: Partial<LotDocument> = {}): LotDocument =>
  paper('INSPECTION_QUARANTINE', 'IQ-001', { issuer: 'Customs', validUntil: iso(30 * DAY), ...overrides });
export const nucleicAcidTest = (result: TestResult = 'NEGATIVE', overrides: Partial<LotDocument> = {}): LotDocument =>
  paper('NUCLEIC_ACID_TEST', 'NAT-001', { issuer: 'CDC lab', validUntil: iso(14 * DAY), ...overrides }, result);
export const disinfectionCertificate = (overrides: Partial<LotDocument> = {}): LotDocument =>
  paper('DISINFECTION', 'DS-001', { issuer: 'Disinfection Co', validUntil: iso(30 * DAY), ...overrides });

/** 三证 + customs declaration, all valid and the test negative. */
export const fullPapers = (): LotDocument[] => [
  customsDeclaration(),
  inspectionCertificate(),
  nucleicAcidTest('NEGATIVE'),
  disinfectionCertificate(),
];

// ---------------------------------------------------------------- histories (built through lotDecider)

export type LotHistory = History<SingleLotCommand, LotEvent, LotState>;

export const lotHistory = (events: readonly LotEvent[] = []): LotHistory => history(lotDecider, events);

/** Registered at the port at T0, no papers. */
export const registered = (): LotHistory => lotHistory().run(registerLot(), at(0));

/** Another lot, registered at the port at T0 under `traceCode`, no papers. */
export const registeredAs = (traceCode: string, overrides: Partial<RegisterLot['data']> = {}): LotHistory =>
  lotHistory().run(registerLot({ traceCode, ...overrides }), at(0));

export const withPapers = (h: LotHistory, documents: readonly LotDocument[], hour: number): LotHistory =>
  documents.reduce((acc, document) => acc.run(attach(document), at(hour)), h);

/** Registered with every paper (hour 1), still at the port. */
export const papered = (documents: readonly LotDocument[] = fullPapers()): LotHistory => withPapers(registered(), documents, 1);

/** Dispatched from the port (hour 2) and received at the central warehouse (hour 3). */
export const atWarehouse = (h: LotHistory = papered()): LotHistory =>
  h
    .run(scan('DISPATCH', PORT, iso(2), { to: WAREHOUSE, vehicle: truck() }), at(2))
    .run(scan('RECEIVE', WAREHOUSE, iso(3), { zoneId: 'cw-intake', vehicle: truck() }), at(3));

/** ... dispatched from the warehouse (hour 4) to the wholesale market, received there (hour 5). */
export const atMarket = (h: LotHistory = atWarehouse()): LotHistory =>
  h
    .run(scan('DISPATCH', WAREHOUSE, iso(4), { to: MARKET, vehicle: truck() }), at(4))
    .run(scan('RECEIVE', MARKET, iso(5), { zoneId: 'wm-intake' }), at(5));

/** ... dispatched from the market (hour 6) to the retail store, received in its intake zone (hour 7). */
export const atStoreIntake = (h: LotHistory = atMarket()): LotHistory =>
  h
    .run(scan('DISPATCH', MARKET, iso(6), { to: STORE, vehicle: truck() }), at(6))
    .run(scan('RECEIVE', STORE, iso(7), { zoneId: 'rs-intake' }), at(7));

/** ... stored in the retail store's dedicated sales zone (hour 8): sale-allowed. */
export const sellable = (h: LotHistory = atStoreIntake()): LotHistory =>
  h.run(scan('STORE', STORE, iso(8), { zoneId: 'rs-sales' }), at(8));

/** Every step of the fixture journey, for a lot that starts as `h`: sale-allowed at the retail store (hour 8). */
export const journey = (h: LotHistory): LotHistory => sellable(atStoreIntake(atMarket(atWarehouse(h))));

// ---------------------------------------------------------------- genealogy (split / merge)

export interface SplitOutcome {
  /** The parent's history with its LotSplit appended. */
  readonly parent: LotHistory;
  /** Each child's history: its LotDerived, derived from the parent's state just before the split. */
  readonly children: readonly LotHistory[];
}

/** Split `parent` through lotDecider and derive the children as the application does. */
export const splitInto = (parent: LotHistory, command: SplitLot, now: Date): SplitOutcome => {
  const decided = lotDecider.decide(command, parent.state, now);
  const split = decided.find((e): e is LotSplit => e.type === 'LotSplit');
  if (!split) throw new Error(`SplitLot decided no LotSplit: ${JSON.stringify(decided)}`);
  return {
    parent: parent.append(decided),
    children: deriveSplitChildren(parent.state, split.data).map((derived) => lotHistory([derived])),
  };
};

/**
 * What decideMerge takes: portions of lots (each with its history's current state) repacked at `facility`.
 * A portion names its lot's trace code, or `traceCode` when given (for a lot that was never registered).
 */
export const mergeInput = (
  traceCode: string,
  facility: FacilityRef,
  occurredAt: string,
  parents: readonly (readonly [h: LotHistory, quantity: number, traceCode?: string])[],
  mergeId = 'MERGE-1',
): MergeInput => ({
  mergeId,
  traceCode,
  facility,
  occurredAt,
  parents: parents.map(([h, quantity, code]) => {
    const state = h.state;
    return { portion: { traceCode: code ?? state.traceCode ?? 'unregistered', quantity }, state };
  }),
});

// ---------------------------------------------------------------- reading refusals

/** The DomainError `act` throws; fails when it throws something else or nothing. */
export const domainErrorOf = (act: () => unknown): DomainError => {
  let outcome: unknown;
  try {
    outcome = act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected a DomainError, but got ${JSON.stringify(outcome)}`);
};

const isReasonCode = (value: unknown): value is ReasonCode =>
  typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);

/** The reason codes listed in a TRADE_BLOCKED / SALE_BLOCKED error's details.reasons. */
export const reasonCodesOf = (error: DomainError): ReasonCode[] => {
  const reasons = error.details?.['reasons'];
  if (!Array.isArray(reasons)) throw new Error(`${error.code} has no details.reasons`);
  return reasons.map((reason: unknown) => {
    const code = typeof reason === 'object' && reason !== null && 'code' in reason ? reason.code : undefined;
    if (!isReasonCode(code)) throw new Error(`${error.code} lists a reason without a known code: ${JSON.stringify(reason)}`);
    return code;
  });
};
