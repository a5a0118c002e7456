import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

/** A unique suffix so ids never collide between tests sharing one database. */
export const uid = (): string => randomBytes(4).toString('hex');

export interface Network {
  port: string;
  warehouse: string;
  market: string;
  store: string;
  zones: {
    warehouseIntake: string;
    warehouseStorage: string;
    marketStorage: string;
    storeSales: string;
    storeGeneral: string;
  };
}

const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();
export const minutesAgo = ago;
export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
export const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

/** Registers a port, a central warehouse, a wholesale market and a retail store with their dedicated zones. */
export const registerNetwork = async (t: TestApp, tag = uid()): Promise<Network> => {
  const n: Network = {
    port: `PORT-${tag}`,
    warehouse: `CW-${tag}`,
    market: `WM-${tag}`,
    store: `RS-${tag}`,
    zones: { warehouseIntake: 'IN-1', warehouseStorage: 'COLD-1', marketStorage: 'COLD-2', storeSales: 'SALES-1', storeGeneral: 'BACK-1' },
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
    { id: n.market, name: 'Wholesale market', type: 'WHOLESALE_MARKET', zones: [{ id: n.zones.marketStorage, kind: 'DEDICATED_STORAGE' }] },
    {
      id: n.store,
      name: 'Retail store',
      type: 'RETAIL_STORE',
      zones: [
        { id: n.zones.storeSales, kind: 'DEDICATED_SALES' },
        { id: n.zones.storeGeneral, kind: 'GENERAL' },
      ],
    },
  ];
  for (const f of facilities) await t.http().post('/api/facilities').send(f).expect(201);
  return n;
};

export const registerLot = async (t: TestApp, n: Network, traceCode = `LOT-${uid()}`, amount = 100, unit = 'KG') => {
  const res = await t
    .http()
    .post('/api/lots')
    .send({
      traceCode,
      product: { name: 'Frozen beef', category: 'FROZEN' },
      originCountry: 'BR',
      importer: 'Acme Imports Ltd',
      quantity: { amount, unit },
      portOfEntryId: n.port,
      enteredAt: ago(600),
    })
    .expect(201);
  return { traceCode, position: res.body.position as number };
};

export type DocType = 'CUSTOMS_DECLARATION' | 'INSPECTION_QUARANTINE' | 'NUCLEIC_ACID_TEST' | 'DISINFECTION';

export const attachDocument = async (
  t: TestApp,
  traceCode: string,
  type: DocType,
  extra: { number?: string; result?: 'NEGATIVE' | 'POSITIVE'; issuedAt?: string; validUntil?: string } = {},
) => {
  const res = await t
    .http()
    .post(`/api/lots/${traceCode}/documents`)
    .send({
      type,
      number: extra.number ?? `${type}-${uid()}`,
      issuer: 'Authority',
      issuedAt: extra.issuedAt ?? ago(500),
      ...(extra.validUntil ? { validUntil: extra.validUntil } : {}),
      ...(type === 'NUCLEIC_ACID_TEST' ? { result: extra.result ?? 'NEGATIVE' } : {}),
    });
  if (res.status !== 201 && res.status !== 200) throw new Error(`attach ${type} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { position: number; locked: boolean; version: number };
};

export const attachAllPapers = async (t: TestApp, traceCode: string) => {
  let position = 0;
  for (const type of ['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION'] as DocType[]) {
    position = (await attachDocument(t, traceCode, type)).position;
  }
  return position;
};

export interface ScanInput {
  traceCode: string;
  facilityId: string;
  action: 'RECEIVE' | 'STORE' | 'DISINFECT' | 'SAMPLE' | 'DISPATCH' | 'SELL';
  scanId?: string;
  occurredAt?: string;
  zoneId?: string;
  toFacilityId?: string;
  quantity?: number;
  vehicle?: { plate: string; disinfectedAt?: string };
  temperatureC?: number;
}

export const scanBody = (s: ScanInput) => ({ scanId: `SCAN-${uid()}`, occurredAt: ago(1), ...s });

export const scan = (t: TestApp, s: ScanInput) => t.http().post('/api/scans').send(scanBody(s));

/** scan() that must be accepted; returns the response body. */
export const scanOk = async (t: TestApp, s: ScanInput) => {
  const res = await scan(t, s);
  if (res.status !== 201) throw new Error(`scan ${s.action} at ${s.facilityId} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { position: number; version: number; violations: { kind: string; message: string }[] };
};

/** Walks a lot port -> central warehouse -> wholesale market -> retail store's sales zone, papers attached. */
export const walkToStore = async (t: TestApp, n: Network, traceCode: string) => {
  await attachAllPapers(t, traceCode);
  await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' } });
  await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
  await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'DISINFECT' });
  await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage });
  await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market });
  await scanOk(t, { traceCode, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage });
  await scanOk(t, { traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store });
  await scanOk(t, { traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeGeneral });
  return scanOk(t, { traceCode, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales });
};

export const eligibility = async (t: TestApp, traceCode: string, atLeast: number) => {
  const res = await t.http().get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${atLeast}`).expect(200);
  return res.body as { allowed: boolean; reasons: { code: string; message: string }[]; position: number };
};

export const reasonCodes = (e: { reasons: { code: string }[] }): string[] => e.reasons.map((r) => r.code);
