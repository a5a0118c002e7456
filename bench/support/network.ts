import { randomBytes } from 'node:crypto';
import { ApiClient, client } from './http';

/**
 * Setting up lots on an api running as its own process, over HTTP with real
 * keys, as test/support/fixtures.ts does for the in-process test app.
 */
export const uid = (): string => randomBytes(4).toString('hex');
export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

export interface Network {
  port: string;
  warehouse: string;
  market: string;
  store: string;
  zones: { warehouseIntake: string; warehouseStorage: string; marketIntake: string; storeIntake: string; storeSales: string };
}

/** One client per job, each with its own key (POST /api/keys as the ADMIN). */
export interface Actors {
  admin: ApiClient;
  /** OPERATOR of all four facilities: registers lots, scans along the walk, splits. */
  operator: ApiClient;
  /** OPERATOR of the central warehouse only: the scanners of the ingest rows. */
  warehouse: ApiClient;
  /** OPERATOR of the retail store only: a till asking "may I sell this?". */
  retailer: ApiClient;
  inspector: ApiClient;
  regulator: ApiClient;
  tokens: { warehouse: string; retailer: string; regulator: string };
}

/** A port, a central warehouse, a wholesale market and a retail store with their dedicated zones, and a key per job. */
export const setUpNetwork = async (baseUrl: string, adminToken: string, tag = uid()): Promise<{ network: Network; actors: Actors }> => {
  const admin = client(baseUrl, adminToken);
  const n: Network = {
    port: `PORT-${tag}`,
    warehouse: `CW-${tag}`,
    market: `WM-${tag}`,
    store: `RS-${tag}`,
    zones: { warehouseIntake: 'IN-1', warehouseStorage: 'COLD-1', marketIntake: 'IN-2', storeIntake: 'IN-3', storeSales: 'SALES-1' },
  };
  const facilities = [
    { id: n.port, name: 'Port of entry', type: 'PORT_OF_ENTRY', zones: [] },
    {
      id: n.warehouse,
      name: 'Central warehouse',
      type: 'CENTRAL_WAREHOUSE',
      zones: [
        { id: n.zones.warehouseIntake, kind: 'DEDICATED_INTAKE' },
        { id: n.zones.warehouseStorage, kind: 'DEDICATED_STORAGE' },
      ],
    },
    { id: n.market, name: 'Wholesale market', type: 'WHOLESALE_MARKET', zones: [{ id: n.zones.marketIntake, kind: 'DEDICATED_INTAKE' }] },
    {
      id: n.store,
      name: 'Retail store',
      type: 'RETAIL_STORE',
      zones: [
        { id: n.zones.storeIntake, kind: 'DEDICATED_INTAKE' },
        { id: n.zones.storeSales, kind: 'DEDICATED_SALES' },
      ],
    },
  ];
  for (const f of facilities) await admin.ok('/api/facilities', f, [201]);
  const key = async (name: string, role: string, facilityIds?: string[]) =>
    (await admin.ok<{ token: string }>('/api/keys', { name, role, ...(facilityIds ? { facilityIds } : {}) }, [201])).token;
  const tokens = {
    operator: await key('bench operator', 'OPERATOR', [n.port, n.warehouse, n.market, n.store]),
    warehouse: await key('bench warehouse scanner', 'OPERATOR', [n.warehouse]),
    retailer: await key('bench till', 'OPERATOR', [n.store]),
    inspector: await key('bench lab', 'INSPECTOR'),
    regulator: await key('bench regulator', 'REGULATOR'),
  };
  return {
    network: n,
    actors: {
      admin,
      operator: client(baseUrl, tokens.operator),
      warehouse: client(baseUrl, tokens.warehouse),
      retailer: client(baseUrl, tokens.retailer),
      inspector: client(baseUrl, tokens.inspector),
      regulator: client(baseUrl, tokens.regulator),
      tokens: { warehouse: tokens.warehouse, retailer: tokens.retailer, regulator: tokens.regulator },
    },
  };
};

export interface Written {
  position: number;
  version: number;
}

export const registerLot = async (a: Actors, n: Network, traceCode: string, amount = 100): Promise<Written> =>
  a.operator.ok<Written>(
    '/api/lots',
    {
      traceCode,
      product: { name: 'Frozen beef', category: 'FROZEN' },
      originCountry: 'BR',
      importer: 'Acme Imports Ltd',
      quantity: { amount, unit: 'KG' },
      portOfEntryId: n.port,
      enteredAt: minutesAgo(600),
    },
    [201],
  );

/** Customs declaration and the three certificates; document numbers carry the trace code (unique per lot). */
export const attachPapers = async (a: Actors, traceCode: string): Promise<Written> => {
  let last: Written = { position: 0, version: 0 };
  for (const type of ['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION']) {
    last = await a.inspector.ok<Written>(`/api/lots/${traceCode}/documents`, {
      type,
      number: `${traceCode}.${type}`,
      issuer: 'Authority',
      issuedAt: minutesAgo(500),
      ...(type === 'NUCLEIC_ACID_TEST' ? { result: 'NEGATIVE' } : {}),
    });
  }
  return last;
};

export interface Scan {
  scanId?: string;
  traceCode: string;
  facilityId: string;
  action: 'RECEIVE' | 'STORE' | 'DISINFECT' | 'SAMPLE' | 'DISPATCH' | 'SELL';
  zoneId?: string;
  toFacilityId?: string;
  quantity?: number;
  vehicle?: { plate: string; disinfectedAt?: string };
  temperatureC?: number;
  occurredAt?: string;
}

/** Scan ids carry the trace code, so a lot's events name nothing of another lot. */
export const scanOk = (by: ApiClient, s: Scan): Promise<Written> =>
  by.ok<Written>('/api/scans', { scanId: `${s.traceCode}.${uid()}`, occurredAt: minutesAgo(1), ...s }, [201]);

/** Port -> central warehouse intake: where the ingest rows scan lots. */
export const bringToWarehouse = async (a: Actors, n: Network, traceCode: string): Promise<Written> => {
  await scanOk(a.operator, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1', disinfectedAt: minutesAgo(2) } });
  return scanOk(a.operator, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
};

/** Papers, then port -> central warehouse -> wholesale market -> the retail store's sales zone: `allowed: true`. */
export const walkToStore = async (a: Actors, n: Network, traceCode: string): Promise<Written> => {
  await attachPapers(a, traceCode);
  await bringToWarehouse(a, n, traceCode);
  const truck = { plate: 'TRUCK-2', disinfectedAt: minutesAgo(2) };
  await scanOk(a.operator, { traceCode, facilityId: n.warehouse, action: 'DISINFECT' });
  await scanOk(a.operator, { traceCode, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage });
  await scanOk(a.operator, { traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market, vehicle: truck });
  await scanOk(a.operator, { traceCode, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketIntake });
  await scanOk(a.operator, { traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store, vehicle: truck });
  await scanOk(a.operator, { traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeIntake });
  return scanOk(a.operator, { traceCode, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales });
};

export interface Eligibility {
  traceCode: string;
  allowed: boolean;
  reasons: { code: string; message: string }[];
  position: number;
}
