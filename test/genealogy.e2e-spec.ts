import { GenealogyReader } from '@app/read-models';
import { createTestApp, TestApp } from './support/test-app';
import { eligibility, reasonCodes, uid } from './support/fixtures';

/*
 * Genealogy, recall and the regulator's view, end to end on the real API:
 * a container split at the central warehouse into wholesale lots, split again
 * at three wholesale markets into 20 store lots; one positive test recalls the
 * whole batch; trace forward and backward; conservation of quantities (also
 * under concurrent splits and sales); regulator lock/unlock/destroy; merges;
 * compliance flags; a store's inventory.
 */

// ---------------------------------------------------------------- response shapes

type Unit = 'KG' | 'CARTON' | 'PIECE';
type Status = 'DESTROYED' | 'RECALLED' | 'LOCKED' | 'IN_TRANSIT' | 'SOLD_OUT' | 'HELD';

interface Custody {
  facilityId: string;
  facilityType: string;
  zoneId: string | null;
  zoneKind: string | null;
  since: string;
}
interface RouteStop {
  facilityId: string;
  facilityType: string;
  arrivedAt: string;
  departedAt: string | null;
}
interface Quantity {
  initial: number;
  remaining: number;
  unit: Unit;
}
interface Reason {
  code: string;
  message: string;
}
interface Flag {
  flag: string;
  facilityId: string;
  message: string;
  occurredAt: string;
}
interface Portion {
  traceCode: string;
  quantity: number;
}
interface TraceNode {
  traceCode: string;
  importers: string[];
  originCountries: string[];
  portOfEntryId: string | null;
  quantity: Quantity | null;
  status: Status;
  saleAllowed: boolean;
  holder: Custody | null;
  route: RouteStop[];
  parents: Portion[];
}
interface TraceLink {
  parent: string;
  child: string;
  kind: 'SPLIT' | 'MERGE';
  operationId: string;
  quantity: number;
}
interface TraceView {
  traceCode: string;
  direction: 'forward' | 'backward';
  lots: TraceNode[];
  links: TraceLink[];
  pending: string[];
}
interface ListItem {
  traceCode: string;
  status: Status;
  allowed: boolean;
  reasons: Reason[];
  flags: Flag[];
  holderFacilityId: string | null;
  importers: string[];
  originCountries: string[];
}
interface ListView {
  items: ListItem[];
  nextCursor: string | null;
}
interface RecallView {
  recallId: string;
  origin: string;
  reason: string;
  source: string;
  lots: { traceCode: string; holderWhenRecalled: string | null; holder: Custody | null; inTransit: unknown; remaining: number | null; status: Status | null }[];
}
interface InventoryView {
  facilityId: string;
  lots: { traceCode: string; quantity: Quantity | null; holder: Custody | null; status: Status; saleAllowed: boolean; reasons: Reason[] }[];
}
interface LotView {
  traceCode: string;
  quantity: Quantity;
  status: Status;
  holder: Custody | null;
  route: RouteStop[];
  version: number;
  flags?: Flag[];
}
interface HistoryView {
  events: { version: number; type: string; data: { children?: Portion[]; quantity?: number } }[];
}
interface ScanResult {
  scanId: string;
  version: number;
  position: number;
  violations: { kind: string; message: string }[];
  flags: { flag: string; message: string }[];
}
interface SplitResult {
  splitId: string;
  traceCode: string;
  remaining: number;
  children: { traceCode: string; quantity: number; version: number }[];
  position: number;
}
interface MergeResult {
  mergeId: string;
  traceCode: string;
  quantity: number;
  parents: { traceCode: string; quantity: number; remaining: number }[];
  position: number;
}
interface RegulatorResult {
  traceCode: string;
  version: number;
  position: number;
  lotsAffected: number;
  locked?: boolean;
}
interface AttachResult {
  traceCode: string;
  version: number;
  position: number;
  locked: boolean;
  recallId?: string;
  lotsRecalled?: number;
}
interface ErrorBody {
  code: string;
  message: string;
  details?: { reasons?: Reason[] };
}

// ---------------------------------------------------------------- harness

let t: TestApp;
/** The highest global position any command answered so far: every read passes it as ?atLeast=. */
let head = 0;
const seen = (position: number): number => {
  head = Math.max(head, position);
  return position;
};

/** Real-world times for scans, strictly increasing, always in the past. */
let clockMs = Date.now() - 8 * 3_600_000;
const tick = (): string => {
  clockMs += 10_000;
  if (clockMs > Date.now()) throw new Error('test clock ran into the future');
  return new Date(clockMs).toISOString();
};

const describeCall = (method: string, path: string, body: unknown, status: number, response: unknown): string =>
  `${method} ${path} ${body === undefined ? '' : JSON.stringify(body)} -> ${status} ${JSON.stringify(response)}`;

const post = async <T extends { position?: number }>(path: string, body: object, expected = 201): Promise<T> => {
  const res = await t.http().post(path).send(body);
  if (res.status !== expected) throw new Error(describeCall('POST', path, body, res.status, res.body));
  const out = res.body as T;
  if (typeof out.position === 'number') seen(out.position);
  return out;
};

/** A read at the position of the last command (read-your-writes). */
const read = async <T>(path: string): Promise<T> => {
  const url = `${path}${path.includes('?') ? '&' : '?'}atLeast=${head}`;
  const res = await t.http().get(url);
  if (res.status !== 200) throw new Error(describeCall('GET', url, undefined, res.status, res.body));
  return res.body as T;
};

const ZONES = {
  cwIntake: 'CW-IN',
  cwCold: 'CW-COLD',
  wmIntake: 'WM-IN',
  wmCold: 'WM-COLD',
  rsIntake: 'RS-IN',
  rsSales: 'RS-SALES',
  rsBack: 'RS-BACK',
} as const;

interface Net {
  port: string;
  warehouse: string;
  markets: string[];
  stores: string[];
}

/** A port, a central warehouse, 3 wholesale markets and 20 retail stores, each with dedicated intake and storage/sales zones. */
const registerNetwork = async (): Promise<Net> => {
  const tag = uid();
  const net: Net = {
    port: `PORT-${tag}`,
    warehouse: `CW-${tag}`,
    markets: Array.from({ length: 3 }, (_, i) => `WM-${tag}-${i + 1}`),
    stores: Array.from({ length: 20 }, (_, i) => `RS-${tag}-${String(i + 1).padStart(2, '0')}`),
  };
  await post('/api/facilities', { id: net.port, name: 'Port of entry', type: 'PORT_OF_ENTRY', zones: [] });
  await post('/api/facilities', {
    id: net.warehouse,
    name: 'Central warehouse',
    type: 'CENTRAL_WAREHOUSE',
    zones: [
      { id: ZONES.cwIntake, kind: 'DEDICATED_INTAKE' },
      { id: ZONES.cwCold, kind: 'DEDICATED_STORAGE' },
    ],
  });
  for (const id of net.markets) {
    await post('/api/facilities', {
      id,
      name: `Wholesale market ${id}`,
      type: 'WHOLESALE_MARKET',
      zones: [
        { id: ZONES.wmIntake, kind: 'DEDICATED_INTAKE' },
        { id: ZONES.wmCold, kind: 'DEDICATED_STORAGE' },
      ],
    });
  }
  for (const id of net.stores) {
    await post('/api/facilities', {
      id,
      name: `Retail store ${id}`,
      type: 'RETAIL_STORE',
      zones: [
        { id: ZONES.rsIntake, kind: 'DEDICATED_INTAKE' },
        { id: ZONES.rsSales, kind: 'DEDICATED_SALES' },
        { id: ZONES.rsBack, kind: 'GENERAL' },
      ],
    });
  }
  return net;
};

interface ScanInput {
  traceCode: string;
  facilityId: string;
  action: 'RECEIVE' | 'STORE' | 'DISINFECT' | 'SAMPLE' | 'DISPATCH' | 'SELL';
  occurredAt?: string;
  zoneId?: string;
  toFacilityId?: string;
  quantity?: number;
  vehicle?: { plate: string; disinfectedAt?: string };
  temperatureC?: number;
}
const scanBody = (s: ScanInput) => ({ scanId: `S-${uid()}`, occurredAt: tick(), ...s });
const scanRaw = (s: ScanInput) => t.http().post('/api/scans').send(scanBody(s));
const scanOk = (s: ScanInput) => post<ScanResult>('/api/scans', scanBody(s));
/** A scan on the rule-abiding path: accepted, no custody violation, no compliance flag. */
const cleanScan = async (s: ScanInput): Promise<ScanResult> => {
  const r = await scanOk(s);
  if (r.violations.length > 0 || r.flags.length > 0) throw new Error(`${s.action} of ${s.traceCode} at ${s.facilityId} was not clean: ${JSON.stringify(r)}`);
  return r;
};

const DOC_TYPES = ['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION'] as const;

interface Container {
  traceCode: string;
  importer: string;
  enteredAt: string;
}

/** An import lot at its port, with the customs declaration and the three certificates (test NEGATIVE). */
const registerContainer = async (net: Net, traceCode: string, amount: number, importer: string, originCountry = 'ES'): Promise<Container> => {
  const enteredAt = tick();
  await post('/api/lots', {
    traceCode,
    product: { name: 'Frozen pork ribs', category: 'FROZEN' },
    originCountry,
    importer,
    quantity: { amount, unit: 'CARTON' },
    portOfEntryId: net.port,
    enteredAt,
  });
  for (const type of DOC_TYPES) {
    await post(`/api/lots/${traceCode}/documents`, {
      type,
      number: `${type}-${uid()}`,
      issuer: 'Customs and CDC',
      issuedAt: tick(),
      ...(type === 'NUCLEIC_ACID_TEST' ? { result: 'NEGATIVE' } : {}),
    });
  }
  return { traceCode, importer, enteredAt };
};

interface Leg {
  departedAt: string;
  arrivedAt: string;
}

/** DISPATCH (vehicle disinfected), RECEIVE through the dedicated intake, STORE in the given zone. */
const move = async (traceCode: string, from: string, to: string, intakeZone: string, storeZone: string): Promise<Leg> => {
  const disinfectedAt = tick();
  const departedAt = tick();
  await cleanScan({ traceCode, facilityId: from, action: 'DISPATCH', toFacilityId: to, occurredAt: departedAt, vehicle: { plate: `V-${uid()}`, disinfectedAt }, temperatureC: -19 });
  const arrivedAt = tick();
  await cleanScan({ traceCode, facilityId: to, action: 'RECEIVE', zoneId: intakeZone, occurredAt: arrivedAt, temperatureC: -18.5 });
  await cleanScan({ traceCode, facilityId: to, action: 'STORE', zoneId: storeZone });
  return { departedAt, arrivedAt };
};

const split = (parent: string, children: Portion[]) =>
  post<SplitResult>(`/api/lots/${parent}/splits`, { splitId: `SPLIT-${uid()}`, children, occurredAt: tick() });

interface StoreLot {
  traceCode: string;
  store: string;
  market: string;
  wholesale: string;
  quantity: number;
  leg: Leg;
}
interface WholesaleLot {
  traceCode: string;
  market: string;
  quantity: number;
  remainingAfterSplit: number;
  leg: Leg;
  storeLots: StoreLot[];
}
interface Batch {
  container: Container & { initial: number; remainingAfterSplit: number; toWarehouse: Leg };
  wholesale: WholesaleLot[];
  storeLots: StoreLot[];
  /** Every lot of the batch: container, wholesale lots, store lots. */
  all: string[];
}

/**
 * container (port -> central warehouse, full papers) split at the warehouse into one wholesale lot per
 * market of `layout`; each goes to its market and is split there into one store lot per store of its
 * entry; each store lot goes to its store: received through the intake, stored in the sales zone.
 */
const buildBatch = async (
  net: Net,
  layout: { market: string; stores: string[] }[],
  q: { container: number; wholesale: number; store: number },
  originCountry = 'ES',
): Promise<Batch> => {
  const tag = uid();
  const container = await registerContainer(net, `B${tag}-C`, q.container, `Importer ${tag} Ltd`, originCountry);
  const toWarehouse = await move(container.traceCode, net.port, net.warehouse, ZONES.cwIntake, ZONES.cwCold);
  await cleanScan({ traceCode: container.traceCode, facilityId: net.warehouse, action: 'DISINFECT' });
  await cleanScan({ traceCode: container.traceCode, facilityId: net.warehouse, action: 'SAMPLE' });

  const wholesaleCodes = layout.map((_, i) => `B${tag}-W${i + 1}`);
  const top = await split(
    container.traceCode,
    wholesaleCodes.map((traceCode) => ({ traceCode, quantity: q.wholesale })),
  );
  const wholesale: WholesaleLot[] = [];
  for (const [i, entry] of layout.entries()) {
    const traceCode = wholesaleCodes[i];
    const leg = await move(traceCode, net.warehouse, entry.market, ZONES.wmIntake, ZONES.wmCold);
    const storeCodes = entry.stores.map((_, j) => `${traceCode}-S${String(j + 1).padStart(2, '0')}`);
    const down = await split(
      traceCode,
      storeCodes.map((c) => ({ traceCode: c, quantity: q.store })),
    );
    const storeLots: StoreLot[] = [];
    for (const [j, store] of entry.stores.entries()) {
      const sl = storeCodes[j];
      const storeLeg = await move(sl, entry.market, store, ZONES.rsIntake, ZONES.rsSales);
      storeLots.push({ traceCode: sl, store, market: entry.market, wholesale: traceCode, quantity: q.store, leg: storeLeg });
    }
    wholesale.push({ traceCode, market: entry.market, quantity: q.wholesale, remainingAfterSplit: down.remaining, leg, storeLots });
  }
  const storeLots = wholesale.flatMap((w) => w.storeLots);
  return {
    container: { ...container, initial: q.container, remainingAfterSplit: top.remaining, toWarehouse },
    wholesale,
    storeLots,
    all: [container.traceCode, ...wholesale.map((w) => w.traceCode), ...storeLots.map((s) => s.traceCode)],
  };
};

/** Follows nextCursor to the end; `gate` is a lot whose sale-eligibility read waits for the list's read model. */
const listAll = async (query: string, gate: string, limit: number): Promise<{ items: ListItem[]; pages: number }> => {
  await eligibility(t, gate, head);
  const items: ListItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/lots?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await t.http().get(url);
    if (res.status !== 200) throw new Error(describeCall('GET', url, undefined, res.status, res.body));
    const page = res.body as ListView;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
    if (pages > 1000) throw new Error('pagination does not end');
  } while (cursor);
  return { items, pages };
};

const codesOf = (items: { traceCode: string }[]): string[] => items.map((i) => i.traceCode);
const sorted = (codes: readonly string[]): string[] => [...codes].sort();
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------- the tests

describe('genealogy, recall and the regulator view (e2e, real PostgreSQL)', () => {
  let net: Net;

  beforeAll(async () => {
    t = await createTestApp();
    net = await registerNetwork();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('a container split into 3 wholesale lots and 20 store lots', () => {
    let batch: Batch;
    let positive: StoreLot;
    let recallId: string;

    beforeAll(async () => {
      batch = await buildBatch(
        net,
        [
          { market: net.markets[0], stores: net.stores.slice(0, 7) },
          { market: net.markets[1], stores: net.stores.slice(7, 14) },
          { market: net.markets[2], stores: net.stores.slice(14, 20) },
        ],
        { container: 1000, wholesale: 300, store: 30 },
      );
      positive = batch.storeLots[9];
    });

    it('before any positive test the store lots are sale-allowed, and a store inventory shows its lot', async () => {
      expect(batch.all).toHaveLength(24);
      expect(batch.storeLots).toHaveLength(20);
      for (const s of [batch.storeLots[0], batch.storeLots[7], batch.storeLots[19], positive]) {
        const e = await eligibility(t, s.traceCode, head);
        expect({ traceCode: s.traceCode, allowed: e.allowed, reasons: e.reasons }).toEqual({ traceCode: s.traceCode, allowed: true, reasons: [] });
      }
      // The wholesale lots are trade-clean but not at a retail store.
      const w = await eligibility(t, batch.wholesale[0].traceCode, head);
      expect(reasonCodes(w)).toEqual(['NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);

      const first = batch.storeLots[0];
      const inventory = await read<InventoryView>(`/api/facilities/${first.store}/inventory`);
      expect(inventory.facilityId).toBe(first.store);
      expect(inventory.lots).toEqual([
        expect.objectContaining({
          traceCode: first.traceCode,
          status: 'HELD',
          saleAllowed: true,
          reasons: [],
          quantity: { initial: 30, remaining: 30, unit: 'CARTON' },
          holder: expect.objectContaining({ facilityId: first.store, facilityType: 'RETAIL_STORE', zoneId: ZONES.rsSales, zoneKind: 'DEDICATED_SALES' }),
        }),
      ]);
    });

    it('a POSITIVE nucleic-acid test on one store lot recalls the whole batch: all 24 lots blocked, SELL refused, recall and regulator list show them', async () => {
      const attached = await post<AttachResult>(`/api/lots/${positive.traceCode}/documents`, {
        type: 'NUCLEIC_ACID_TEST',
        number: `NAT-POS-${uid()}`,
        issuer: 'District CDC lab',
        issuedAt: tick(),
        result: 'POSITIVE',
      });
      expect(attached).toMatchObject({ traceCode: positive.traceCode, locked: true, lotsRecalled: 24 });
      expect(typeof attached.recallId).toBe('string');
      recallId = attached.recallId!;

      // Every lot of the batch: siblings, cousins, the wholesale lots and the container.
      for (const tc of batch.all) {
        const e = await eligibility(t, tc, head);
        expect({ tc, allowed: e.allowed }).toEqual({ tc, allowed: false });
        const recalled = e.reasons.filter((r) => r.code === 'LOT_RECALLED');
        expect({ tc, recalled: recalled.length }).toEqual({ tc, recalled: 1 });
        expect(recalled[0].message).toContain(`because of lot ${positive.traceCode}`);
        expect(recalled[0].message).toContain(recallId);
      }
      const own = await eligibility(t, positive.traceCode, head);
      expect(reasonCodes(own)).toEqual(expect.arrayContaining(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED', 'LOT_RECALLED']));

      // A SELL of any of them is refused, naming the recall; nothing is recorded.
      const holderOf = (tc: string): string =>
        batch.storeLots.find((s) => s.traceCode === tc)?.store ?? batch.wholesale.find((w) => w.traceCode === tc)?.market ?? net.warehouse;
      const sells = await Promise.all(
        batch.all.map((tc) => scanRaw({ traceCode: tc, facilityId: holderOf(tc), action: 'SELL', zoneId: batch.storeLots.some((s) => s.traceCode === tc) ? ZONES.rsSales : undefined, quantity: 1 })),
      );
      for (const [i, res] of sells.entries()) {
        const body = res.body as ErrorBody;
        expect({ tc: batch.all[i], status: res.status, code: body.code }).toEqual({ tc: batch.all[i], status: 422, code: 'SALE_BLOCKED' });
        expect((body.details?.reasons ?? []).map((r) => r.code)).toContain('LOT_RECALLED');
      }

      // The recall lists all 24 lots and where each one is.
      const recall = await read<RecallView>(`/api/recalls/${recallId}`);
      expect(recall).toMatchObject({ recallId, origin: positive.traceCode, source: 'POSITIVE_TEST' });
      expect(sorted(codesOf(recall.lots))).toEqual(sorted(batch.all));
      for (const lot of recall.lots) {
        const where = holderOf(lot.traceCode);
        expect({ tc: lot.traceCode, holder: lot.holder?.facilityId, holderWhenRecalled: lot.holderWhenRecalled, status: lot.status }).toEqual({
          tc: lot.traceCode,
          holder: where,
          holderWhenRecalled: where,
          status: 'RECALLED',
        });
      }

      // The regulator's list: all 24 RECALLED, each exactly once across pages of 7; none ALLOWED.
      const importer = encodeURIComponent(batch.container.importer);
      const recalledPages = await listAll(`status=RECALLED&importer=${importer}`, positive.traceCode, 7);
      expect(recalledPages.pages).toBe(4);
      expect(codesOf(recalledPages.items)).toHaveLength(24);
      expect(sorted(codesOf(recalledPages.items))).toEqual(sorted(batch.all));
      expect(recalledPages.items.every((i) => i.status === 'RECALLED' && !i.allowed)).toBe(true);

      const everyRecalled = await listAll('status=RECALLED', positive.traceCode, 7);
      const codes = codesOf(everyRecalled.items);
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes).toEqual(expect.arrayContaining(batch.all));

      const allowedOfBatch = await listAll(`status=ALLOWED&importer=${importer}`, positive.traceCode, 7);
      expect(allowedOfBatch.items).toEqual([]);
      const everyAllowed = await listAll('status=ALLOWED', positive.traceCode, 7);
      expect(codesOf(everyAllowed.items).filter((c) => batch.all.includes(c))).toEqual([]);

      // The store's inventory now shows its lot recalled and not sellable.
      const first = batch.storeLots[0];
      const inventory = await read<InventoryView>(`/api/facilities/${first.store}/inventory`);
      expect(inventory.lots.find((l) => l.traceCode === first.traceCode)).toMatchObject({ status: 'RECALLED', saleAllowed: false });
    });

    it('the regulator list reads its own writes: GET /api/lots?status=RECALLED&atLeast=<position> answers 200', async () => {
      const url = `/api/lots?status=RECALLED&importer=${encodeURIComponent(batch.container.importer)}&atLeast=${head}`;
      const res = await t.http().get(url);
      expect({ status: res.status, body: res.status === 200 ? 'ok' : (res.body as ErrorBody) }).toEqual({ status: 200, body: 'ok' });
      expect(sorted(codesOf((res.body as ListView).items))).toEqual(sorted(batch.all));
    });

    it('forward trace from the container: 24 lots, 23 links, each store lot at its store with its route port -> warehouse -> market -> store', async () => {
      const trace = await read<TraceView>(`/api/lots/${batch.container.traceCode}/trace?direction=forward`);
      expect(trace.pending).toEqual([]);
      expect(sorted(codesOf(trace.lots))).toEqual(sorted(batch.all));
      expect(trace.links).toHaveLength(23);
      const expectedLinks = [
        ...batch.wholesale.map((w) => ({ parent: batch.container.traceCode, child: w.traceCode, kind: 'SPLIT', quantity: w.quantity })),
        ...batch.storeLots.map((s) => ({ parent: s.wholesale, child: s.traceCode, kind: 'SPLIT', quantity: s.quantity })),
      ];
      const key = (l: { parent: string; child: string }) => `${l.parent}>${l.child}`;
      expect(trace.links.map((l) => ({ parent: l.parent, child: l.child, kind: l.kind, quantity: l.quantity })).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
        expectedLinks.sort((a, b) => key(a).localeCompare(key(b))),
      );

      const node = (tc: string): TraceNode => {
        const n = trace.lots.find((l) => l.traceCode === tc);
        if (!n) throw new Error(`${tc} missing from the trace`);
        return n;
      };
      const c = batch.container;
      for (const s of batch.storeLots) {
        const w = batch.wholesale.find((x) => x.traceCode === s.wholesale)!;
        const n = node(s.traceCode);
        expect(n.holder).toMatchObject({ facilityId: s.store, facilityType: 'RETAIL_STORE', zoneKind: 'DEDICATED_SALES' });
        expect(n.parents).toEqual([{ traceCode: s.wholesale, quantity: s.quantity }]);
        expect({ tc: s.traceCode, route: n.route }).toEqual({
          tc: s.traceCode,
          route: [
            { facilityId: net.port, facilityType: 'PORT_OF_ENTRY', arrivedAt: c.enteredAt, departedAt: c.toWarehouse.departedAt },
            { facilityId: net.warehouse, facilityType: 'CENTRAL_WAREHOUSE', arrivedAt: c.toWarehouse.arrivedAt, departedAt: w.leg.departedAt },
            { facilityId: s.market, facilityType: 'WHOLESALE_MARKET', arrivedAt: w.leg.arrivedAt, departedAt: s.leg.departedAt },
            { facilityId: s.store, facilityType: 'RETAIL_STORE', arrivedAt: s.leg.arrivedAt, departedAt: null },
          ],
        });
      }
      for (const w of batch.wholesale) {
        expect(node(w.traceCode).holder).toMatchObject({ facilityId: w.market, facilityType: 'WHOLESALE_MARKET' });
        expect(node(w.traceCode).parents).toEqual([{ traceCode: c.traceCode, quantity: w.quantity }]);
      }
      expect(node(c.traceCode).holder).toMatchObject({ facilityId: net.warehouse, facilityType: 'CENTRAL_WAREHOUSE' });
      expect(node(c.traceCode).parents).toEqual([]);
    });

    it('backward trace from a store lot: store lot -> wholesale lot -> container, with the port of entry and the importer', async () => {
      const s = batch.storeLots[15];
      const trace = await read<TraceView>(`/api/lots/${s.traceCode}/trace?direction=backward`);
      expect(trace.pending).toEqual([]);
      expect(sorted(codesOf(trace.lots))).toEqual(sorted([s.traceCode, s.wholesale, batch.container.traceCode]));
      expect(trace.links.map((l) => ({ parent: l.parent, child: l.child, kind: l.kind, quantity: l.quantity }))).toEqual([
        { parent: batch.container.traceCode, child: s.wholesale, kind: 'SPLIT', quantity: 300 },
        { parent: s.wholesale, child: s.traceCode, kind: 'SPLIT', quantity: 30 },
      ]);
      const root = trace.lots.find((l) => l.traceCode === batch.container.traceCode)!;
      expect(root).toMatchObject({ portOfEntryId: net.port, importers: [batch.container.importer], originCountries: ['ES'], parents: [] });
      expect(trace.lots.find((l) => l.traceCode === s.traceCode)!.parents).toEqual([{ traceCode: s.wholesale, quantity: 30 }]);
      expect(trace.lots.find((l) => l.traceCode === s.wholesale)!.parents).toEqual([{ traceCode: batch.container.traceCode, quantity: 300 }]);
    });

    it('conservation at every level: children + remaining == initial', async () => {
      expect(batch.container.remainingAfterSplit).toBe(1000 - 3 * 300);
      expect(batch.wholesale.map((w) => w.remainingAfterSplit)).toEqual([300 - 7 * 30, 300 - 7 * 30, 300 - 6 * 30]);
      const trace = await read<TraceView>(`/api/lots/${batch.container.traceCode}/trace?direction=forward`);
      for (const lot of trace.lots) {
        const children = sum(trace.links.filter((l) => l.parent === lot.traceCode).map((l) => l.quantity));
        expect({ tc: lot.traceCode, initial: lot.quantity!.initial }).toEqual({ tc: lot.traceCode, initial: lot.quantity!.remaining + children });
        const asChild = trace.links.filter((l) => l.child === lot.traceCode).map((l) => l.quantity);
        if (asChild.length > 0) expect({ tc: lot.traceCode, initial: lot.quantity!.initial }).toEqual({ tc: lot.traceCode, initial: sum(asChild) });
      }
      const root = trace.lots.find((l) => l.traceCode === batch.container.traceCode)!;
      expect(root.quantity).toEqual({ initial: 1000, remaining: 100, unit: 'CARTON' });
    });
  });

  it('concurrent splits and sales on one 100-carton store lot: some refused 422, none lost, initial == remaining + sold + children, versions contiguous', async () => {
    const batch = await buildBatch(net, [{ market: net.markets[2], stores: [net.stores[19]] }], { container: 500, wholesale: 300, store: 100 });
    const parent = batch.storeLots[0];
    expect((await eligibility(t, parent.traceCode, head)).allowed).toBe(true);

    const splits = Array.from({ length: 10 }, (_, i) => ({
      splitId: `SPLIT-${uid()}-${i}`,
      children: [{ traceCode: `${parent.traceCode}-K${String(i).padStart(2, '0')}`, quantity: 7 }],
      occurredAt: tick(),
    }));
    const sells = Array.from({ length: 15 }, () => scanBody({ traceCode: parent.traceCode, facilityId: parent.store, action: 'SELL', zoneId: ZONES.rsSales, quantity: 3 }));
    // Interleave so neither kind gets a head start.
    const requests = [
      ...splits.map((body, i) => ({ kind: 'split' as const, i, order: i * 1.5, body })),
      ...sells.map((body, i) => ({ kind: 'sell' as const, i, order: i, body })),
    ].sort((a, b) => a.order - b.order);
    const responses = await Promise.all(
      requests.map(async (r) => {
        const res = r.kind === 'split' ? await t.http().post(`/api/lots/${parent.traceCode}/splits`).send(r.body) : await t.http().post('/api/scans').send(r.body);
        return { ...r, status: res.status, body: res.body as SplitResult & ScanResult & ErrorBody };
      }),
    );
    for (const r of responses) if (r.status === 201) seen(r.body.position);

    // Each answer is 201 or a 422 for want of quantity: nothing else (no 409 after retries, no 500).
    const unexpected = responses.filter(
      (r) =>
        !(r.status === 201) &&
        !(r.status === 422 && r.kind === 'split' && r.body.code === 'QUANTITY_EXCEEDS_REMAINING') &&
        !(r.status === 422 && r.kind === 'sell' && r.body.code === 'SALE_BLOCKED' && (r.body.details?.reasons ?? []).every((x) => x.code === 'QUANTITY_EXHAUSTED')),
    );
    expect(unexpected.map((r) => ({ kind: r.kind, status: r.status, body: r.body }))).toEqual([]);
    const acceptedSplits = responses.filter((r) => r.kind === 'split' && r.status === 201);
    const acceptedSells = responses.filter((r) => r.kind === 'sell' && r.status === 201);
    const refused = responses.filter((r) => r.status === 422);
    expect(refused.length).toBeGreaterThan(0); // 10 x 7 + 15 x 3 = 115 > 100

    const lot = await read<LotView>(`/api/lots/${parent.traceCode}`);
    const sold = 3 * acceptedSells.length;
    const children = 7 * acceptedSplits.length;
    expect(lot.quantity.initial).toBe(100);
    expect(lot.quantity.initial).toBe(lot.quantity.remaining + sold + children);
    // A refusal only when there really was not enough left (remaining only goes down).
    if (refused.some((r) => r.kind === 'split')) expect(lot.quantity.remaining).toBeLessThan(7);
    if (refused.some((r) => r.kind === 'sell')) expect(lot.quantity.remaining).toBeLessThan(3);

    // The history agrees, event by event, and its versions are 1..N with no gap.
    const history = await read<HistoryView>(`/api/lots/${parent.traceCode}/history`);
    expect(history.events.map((e) => e.version)).toEqual(Array.from({ length: lot.version }, (_, i) => i + 1));
    const splitEvents = history.events.filter((e) => e.type === 'LotSplit');
    const soldEvents = history.events.filter((e) => e.type === 'LotSold');
    expect(splitEvents).toHaveLength(acceptedSplits.length);
    expect(soldEvents).toHaveLength(acceptedSells.length);
    expect(sum(splitEvents.flatMap((e) => (e.data.children ?? []).map((c) => c.quantity)))).toBe(children);
    expect(sum(soldEvents.map((e) => e.data.quantity ?? 0))).toBe(sold);
    expect(sorted(acceptedSells.map((r) => String(r.body.version)))).toEqual(sorted(soldEvents.map((e) => String(e.version))));
    const stream = await t.store.readStream(`lot-${parent.traceCode}`);
    expect(stream.events.map((e) => e.version)).toEqual(Array.from({ length: stream.version }, (_, i) => i + 1));
    expect(stream.version).toBe(lot.version);

    // Every accepted split's child exists with its 7 cartons at the store; no refused split left a child.
    const trace = await read<TraceView>(`/api/lots/${parent.traceCode}/trace?direction=forward`);
    const acceptedChildren = acceptedSplits.map((r) => splits[r.i].children[0].traceCode);
    expect(sorted(trace.links.map((l) => l.child))).toEqual(sorted(acceptedChildren));
    for (const r of responses.filter((x) => x.kind === 'split')) {
      const child = splits[r.i].children[0].traceCode;
      const res = await t.http().get(`/api/lots/${child}?atLeast=${head}`);
      if (r.status === 201) {
        expect({ child, status: res.status }).toEqual({ child, status: 200 });
        expect((res.body as LotView).quantity).toEqual({ initial: 7, remaining: 7, unit: 'CARTON' });
        expect((res.body as LotView).holder).toMatchObject({ facilityId: parent.store, zoneKind: 'DEDICATED_SALES' });
      } else {
        expect({ child, status: res.status }).toEqual({ child, status: 404 });
      }
    }
  });

  it('a POSITIVE test racing splits elsewhere in the batch still recalls every lot the batch ends up with', async () => {
    const batch = await buildBatch(net, [{ market: net.markets[1], stores: [net.stores[10], net.stores[11]] }], { container: 400, wholesale: 300, store: 100 });
    const w = batch.wholesale[0];
    const [x, y] = batch.storeLots;
    const splitsOf = (parent: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        parent,
        body: { splitId: `SPLIT-${uid()}-${i}`, children: [{ traceCode: `${parent}-R${String(i).padStart(2, '0')}`, quantity: 1 }], occurredAt: tick() },
      }));
    const work = [...splitsOf(w.traceCode, 40), ...splitsOf(y.traceCode, 40)];
    const positiveBody = { type: 'NUCLEIC_ACID_TEST', number: `NAT-POS-${uid()}`, issuer: 'District CDC lab', issuedAt: tick(), result: 'POSITIVE' };
    const [positiveRes, ...splitRes] = await Promise.all([
      t.http().post(`/api/lots/${x.traceCode}/documents`).send(positiveBody),
      ...work.map((s) => t.http().post(`/api/lots/${s.parent}/splits`).send(s.body)),
    ]);
    expect(splitRes.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    for (const r of splitRes) seen((r.body as SplitResult).position);
    // A refused positive result is documented as retryable (409 CONCURRENCY_CONFLICT): retry as a client would,
    // so the completeness of the recall is still checked; the first answer is asserted below.
    const firstAttempt = { status: positiveRes.status, code: (positiveRes.body as ErrorBody).code ?? null };
    let attached = positiveRes;
    for (let i = 0; attached.status === 409 && i < 5; i++) {
      attached = await t.http().post(`/api/lots/${x.traceCode}/documents`).send(positiveBody);
    }
    expect({ status: attached.status, body: attached.body as AttachResult }).toMatchObject({ status: 201, body: { locked: true } });
    seen((attached.body as AttachResult).position);

    const trace = await read<TraceView>(`/api/lots/${batch.container.traceCode}/trace?direction=forward`);
    expect(trace.lots).toHaveLength(batch.all.length + work.length);
    const notRecalled = trace.lots.filter((l) => l.status !== 'RECALLED').map((l) => l.traceCode);
    // Correct: the positive result is taken at once, and no lot of the batch escapes the recall.
    expect({ firstAttempt, notRecalled }).toEqual({ firstAttempt: { status: 201, code: null }, notRecalled: [] });
  });

  it('a child split off a moment after the recall read the genealogy is recalled too (deterministic interleaving)', async () => {
    const batch = await buildBatch(net, [{ market: net.markets[2], stores: [net.stores[12]] }], { container: 100, wholesale: 50, store: 10 });
    const w = batch.wholesale[0];
    const x = batch.storeLots[0];
    const late = `${w.traceCode}-LATE`;
    // Play the interleaving that a busy market produces by chance: the split of the wholesale lot commits right
    // after the positive test's recall has read the lot genealogy (and before it loads the lots).
    const genealogy = t.app.get(GenealogyReader);
    const original = genealogy.descendants.bind(genealogy);
    let interleaved = false;
    const spy = jest.spyOn(genealogy, 'descendants').mockImplementation(async (codes, manager) => {
      const found = await original(codes, manager);
      if (!interleaved && codes.includes(batch.container.traceCode)) {
        interleaved = true;
        await split(w.traceCode, [{ traceCode: late, quantity: 5 }]);
      }
      return found;
    });
    let attached: AttachResult;
    try {
      attached = await post<AttachResult>(`/api/lots/${x.traceCode}/documents`, {
        type: 'NUCLEIC_ACID_TEST',
        number: `NAT-POS-${uid()}`,
        issuer: 'District CDC lab',
        issuedAt: tick(),
        result: 'POSITIVE',
      });
    } finally {
      spy.mockRestore();
    }
    // Without the interleaving (a refactored read path), split now: a child split off after the recall inherits it.
    if (!interleaved) await split(w.traceCode, [{ traceCode: late, quantity: 5 }]);
    expect(attached.locked).toBe(true);

    const trace = await read<TraceView>(`/api/lots/${batch.container.traceCode}/trace?direction=forward`);
    expect(sorted(codesOf(trace.lots))).toEqual(sorted([...batch.all, late]));
    const status = Object.fromEntries(trace.lots.map((l) => [l.traceCode, l.status]));
    expect(status).toEqual(Object.fromEntries([...batch.all, late].map((tc) => [tc, 'RECALLED'])));
    const e = await eligibility(t, late, head);
    expect({ late, allowed: e.allowed, codes: reasonCodes(e) }).toEqual({ late, allowed: false, codes: expect.arrayContaining(['LOT_RECALLED']) });
  });

  describe('regulator lock, unlock and destroy (a fresh batch, no recall)', () => {
    it('a lock on a wholesale lot reaches all its store lots and unlock lifts it; destroy ends only that lot', async () => {
      const batch = await buildBatch(net, [{ market: net.markets[0], stores: net.stores.slice(0, 3) }], { container: 200, wholesale: 150, store: 40 });
      const w = batch.wholesale[0];
      for (const s of w.storeLots) expect((await eligibility(t, s.traceCode, head)).allowed).toBe(true);

      const locked = await post<RegulatorResult>(`/api/lots/${w.traceCode}/lock`, { reason: 'suspected contamination at the market' }, 200);
      expect(locked).toMatchObject({ traceCode: w.traceCode, locked: true, lotsAffected: 4 });
      for (const s of w.storeLots) {
        const e = await eligibility(t, s.traceCode, head);
        expect({ tc: s.traceCode, codes: reasonCodes(e) }).toEqual({ tc: s.traceCode, codes: ['LOT_LOCKED'] });
        expect(e.reasons[0].message).toContain(`ancestor ${w.traceCode}`);
        const sell = await scanRaw({ traceCode: s.traceCode, facilityId: s.store, action: 'SELL', zoneId: ZONES.rsSales, quantity: 1 });
        expect({ status: sell.status, code: (sell.body as ErrorBody).code }).toEqual({ status: 422, code: 'SALE_BLOCKED' });
        expect(((sell.body as ErrorBody).details?.reasons ?? []).map((r) => r.code)).toEqual(['LOT_LOCKED']);
      }
      expect(reasonCodes(await eligibility(t, w.traceCode, head))).toContain('LOT_LOCKED');
      // Locks reach descendants, not ancestors.
      expect(reasonCodes(await eligibility(t, batch.container.traceCode, head))).not.toContain('LOT_LOCKED');
      const lockedList = await listAll(`status=LOCKED&importer=${encodeURIComponent(batch.container.importer)}`, w.traceCode, 50);
      expect(sorted(codesOf(lockedList.items))).toEqual(sorted([w.traceCode, ...w.storeLots.map((s) => s.traceCode)]));

      const unlocked = await post<RegulatorResult>(`/api/lots/${w.traceCode}/unlock`, { reason: 'samples negative' }, 200);
      expect(unlocked).toMatchObject({ traceCode: w.traceCode, locked: false, lotsAffected: 4 });
      for (const s of w.storeLots) {
        const e = await eligibility(t, s.traceCode, head);
        expect({ tc: s.traceCode, allowed: e.allowed, reasons: e.reasons }).toEqual({ tc: s.traceCode, allowed: true, reasons: [] });
      }
      await scanOk({ traceCode: w.storeLots[0].traceCode, facilityId: w.storeLots[0].store, action: 'SELL', zoneId: ZONES.rsSales, quantity: 1 });

      // Destroying the wholesale lot ends it alone: its store lots are other cartons and stay sellable.
      await post(`/api/lots/${w.traceCode}/destroy`, { reason: 'packaging damaged, destroyed under supervision' }, 200);
      const destroyed = await eligibility(t, w.traceCode, head);
      expect(reasonCodes(destroyed)).toContain('LOT_DESTROYED');
      expect((await read<LotView>(`/api/lots/${w.traceCode}`)).status).toBe('DESTROYED');
      for (const s of w.storeLots) {
        const e = await eligibility(t, s.traceCode, head);
        expect({ tc: s.traceCode, allowed: e.allowed, reasons: e.reasons }).toEqual({ tc: s.traceCode, allowed: true, reasons: [] });
      }
      expect(reasonCodes(await eligibility(t, batch.container.traceCode, head))).not.toContain('LOT_DESTROYED');
      // Destroying one store lot leaves its siblings alone too.
      const [gone, ...siblings] = w.storeLots;
      await post(`/api/lots/${gone.traceCode}/destroy`, { reason: 'temperature abuse' }, 200);
      expect(reasonCodes(await eligibility(t, gone.traceCode, head))).toEqual(['LOT_DESTROYED']);
      for (const s of siblings) expect((await eligibility(t, s.traceCode, head)).allowed).toBe(true);
      const afterDestroy = await scanRaw({ traceCode: gone.traceCode, facilityId: gone.store, action: 'SELL', zoneId: ZONES.rsSales, quantity: 1 });
      expect({ status: afterDestroy.status, code: (afterDestroy.body as ErrorBody).code }).toEqual({ status: 422, code: 'LOT_DESTROYED' });
    });
  });

  describe('merge', () => {
    it('two store lots at one store merge into one lot, blocked when a parent is locked, with both parents in the backward trace', async () => {
      const store = net.stores[5];
      const batch = await buildBatch(net, [{ market: net.markets[1], stores: [store, store] }], { container: 200, wholesale: 100, store: 40 });
      const [a, b] = batch.storeLots;
      for (const s of [a, b]) expect((await eligibility(t, s.traceCode, head)).allowed).toBe(true);

      const m1 = `${batch.wholesale[0].traceCode}-M1`;
      const merged = await post<MergeResult>('/api/lots/merges', {
        mergeId: `MERGE-${uid()}`,
        traceCode: m1,
        parents: [
          { traceCode: a.traceCode, quantity: 10 },
          { traceCode: b.traceCode, quantity: 15 },
        ],
        facilityId: store,
        occurredAt: tick(),
      });
      expect(merged).toMatchObject({
        traceCode: m1,
        quantity: 25,
        parents: [
          { traceCode: a.traceCode, quantity: 10, remaining: 30 },
          { traceCode: b.traceCode, quantity: 15, remaining: 25 },
        ],
      });
      const fresh = await eligibility(t, m1, head);
      expect({ allowed: fresh.allowed, reasons: fresh.reasons }).toEqual({ allowed: true, reasons: [] });

      // One parent locked: the merged lot is blocked, naming that parent.
      const lock = await post<RegulatorResult>(`/api/lots/${a.traceCode}/lock`, { reason: 'swab positive on the shelf' }, 200);
      expect(lock).toMatchObject({ locked: true, lotsAffected: 2 });
      const blocked = await eligibility(t, m1, head);
      expect(reasonCodes(blocked)).toEqual(['LOT_LOCKED']);
      expect(blocked.reasons[0].message).toContain(`ancestor ${a.traceCode}`);
      const sell = await scanRaw({ traceCode: m1, facilityId: store, action: 'SELL', zoneId: ZONES.rsSales, quantity: 1 });
      expect({ status: sell.status, code: (sell.body as ErrorBody).code }).toEqual({ status: 422, code: 'SALE_BLOCKED' });
      expect((await eligibility(t, b.traceCode, head)).allowed).toBe(true);

      // Merging from a parent that is already locked: blocked from birth.
      const m2 = `${batch.wholesale[0].traceCode}-M2`;
      await post<MergeResult>('/api/lots/merges', {
        mergeId: `MERGE-${uid()}`,
        traceCode: m2,
        parents: [
          { traceCode: a.traceCode, quantity: 5 },
          { traceCode: b.traceCode, quantity: 5 },
        ],
        facilityId: store,
        occurredAt: tick(),
      });
      expect(reasonCodes(await eligibility(t, m2, head))).toEqual(['LOT_LOCKED']);

      // The backward trace shows both parents and, through them, the wholesale lot and the container.
      const trace = await read<TraceView>(`/api/lots/${m1}/trace?direction=backward`);
      expect(sorted(codesOf(trace.lots))).toEqual(sorted([m1, a.traceCode, b.traceCode, a.wholesale, batch.container.traceCode]));
      const node = trace.lots.find((l) => l.traceCode === m1)!;
      expect(node.parents).toEqual([
        { traceCode: a.traceCode, quantity: 10 },
        { traceCode: b.traceCode, quantity: 15 },
      ]);
      expect(node).toMatchObject({ importers: [batch.container.importer], portOfEntryId: net.port, quantity: { initial: 25, remaining: 25, unit: 'CARTON' } });
      expect(node.holder).toMatchObject({ facilityId: store, facilityType: 'RETAIL_STORE' });
      const mergeLinks = trace.links.filter((l) => l.child === m1).map((l) => ({ parent: l.parent, kind: l.kind, quantity: l.quantity }));
      expect(mergeLinks.sort((x, y) => x.parent.localeCompare(y.parent))).toEqual(
        [
          { parent: a.traceCode, kind: 'MERGE', quantity: 10 },
          { parent: b.traceCode, kind: 'MERGE', quantity: 15 },
        ].sort((x, y) => x.parent.localeCompare(y.parent)),
      );
      expect(trace.links).toHaveLength(5); // container -> wholesale, wholesale -> a, wholesale -> b, a -> m1, b -> m1

      // Conservation through merges: each parent's initial == remaining + what went into the merges.
      const forward = await read<TraceView>(`/api/lots/${a.traceCode}/trace?direction=forward`);
      const aNode = forward.lots.find((l) => l.traceCode === a.traceCode)!;
      expect(aNode.quantity).toEqual({ initial: 40, remaining: 25, unit: 'CARTON' });
      expect(sum(forward.links.filter((l) => l.parent === a.traceCode).map((l) => l.quantity))).toBe(15);

      // Unlocking the parent lifts the block from both merged lots.
      await post<RegulatorResult>(`/api/lots/${a.traceCode}/unlock`, { reason: 'retest negative' }, 200);
      for (const m of [m1, m2]) {
        const e = await eligibility(t, m, head);
        expect({ m, allowed: e.allowed, reasons: e.reasons }).toEqual({ m, allowed: true, reasons: [] });
      }
    });
  });

  describe('merged origins', () => {
    it('a lot merged from Spanish and Brazilian lots of two importers lists both, and a filter on either finds it', async () => {
      const store = net.stores[7];
      const spanish = await buildBatch(net, [{ market: net.markets[1], stores: [store] }], { container: 100, wholesale: 50, store: 20 }, 'ES');
      const brazilian = await buildBatch(net, [{ market: net.markets[1], stores: [store] }], { container: 100, wholesale: 50, store: 20 }, 'BR');
      const [es, br] = [spanish.storeLots[0], brazilian.storeLots[0]];
      const mixed = `${es.traceCode}-MIX`;
      await post<MergeResult>('/api/lots/merges', {
        mergeId: `MERGE-${uid()}`,
        traceCode: mixed,
        parents: [
          { traceCode: es.traceCode, quantity: 5 },
          { traceCode: br.traceCode, quantity: 5 },
        ],
        facilityId: store,
        occurredAt: tick(),
      });
      const lists = { originCountries: ['ES', 'BR'], importers: [spanish.container.importer, brazilian.container.importer] };

      const lot = await read<{ originCountries: string[]; importers: string[] }>(`/api/lots/${mixed}`);
      expect({ originCountries: lot.originCountries, importers: lot.importers }).toEqual(lists);
      expect(lot).not.toHaveProperty('originCountry');

      const trace = await read<TraceView>(`/api/lots/${mixed}/trace?direction=backward`);
      expect(trace.lots.find((l) => l.traceCode === mixed)).toMatchObject(lists);

      // Each origin and each importer finds the mixed lot, beside its own batch's lots.
      const byBrazil = await listAll('originCountry=br', mixed, 50);
      expect(codesOf(byBrazil.items)).toContain(mixed);
      expect(codesOf(byBrazil.items)).toContain(br.traceCode);
      expect(codesOf(byBrazil.items)).not.toContain(es.traceCode);
      expect(byBrazil.items.find((i) => i.traceCode === mixed)).toMatchObject(lists);
      for (const batch of [spanish, brazilian]) {
        const byImporter = await listAll(`importer=${encodeURIComponent(batch.container.importer)}`, mixed, 50);
        expect(sorted(codesOf(byImporter.items))).toEqual(sorted([...batch.all, mixed]));
      }

      // The shopper sees both countries too.
      const shopper = await t.anonymous().get(`/api/public/lots/${mixed}`);
      expect(shopper.body.originCountries).toEqual(['ES', 'BR']);
    });
  });

  describe('compliance flags', () => {
    let traceCode: string;
    let importer: string;

    it('a -5 °C scan on a FROZEN lot and a RECEIVE into a GENERAL zone are recorded and flagged, but do not block the lot', async () => {
      const tag = uid();
      importer = `Flagged ${tag} Ltd`;
      traceCode = `F${tag}-C`;
      await registerContainer(net, traceCode, 50, importer);
      await cleanScan({ traceCode, facilityId: net.port, action: 'DISPATCH', toFacilityId: net.warehouse, vehicle: { plate: 'V-F1', disinfectedAt: tick() } });
      const warm = await scanOk({ traceCode, facilityId: net.warehouse, action: 'RECEIVE', zoneId: ZONES.cwIntake, temperatureC: -5 });
      expect(warm.violations).toEqual([]);
      expect(warm.flags).toEqual([{ flag: 'TEMPERATURE_EXCURSION', message: expect.stringContaining('-5') }]);
      await cleanScan({ traceCode, facilityId: net.warehouse, action: 'STORE', zoneId: ZONES.cwCold });
      await cleanScan({ traceCode, facilityId: net.warehouse, action: 'DISPATCH', toFacilityId: net.markets[0], vehicle: { plate: 'V-F2', disinfectedAt: tick() } });
      await cleanScan({ traceCode, facilityId: net.markets[0], action: 'RECEIVE', zoneId: ZONES.wmIntake });
      await cleanScan({ traceCode, facilityId: net.markets[0], action: 'DISPATCH', toFacilityId: net.stores[6], vehicle: { plate: 'V-F3', disinfectedAt: tick() } });
      const general = await scanOk({ traceCode, facilityId: net.stores[6], action: 'RECEIVE', zoneId: ZONES.rsBack });
      expect(general.violations).toEqual([]);
      expect(general.flags.map((f) => f.flag)).toEqual(['RECEIPT_OUTSIDE_DEDICATED_INTAKE']);
      await cleanScan({ traceCode, facilityId: net.stores[6], action: 'STORE', zoneId: ZONES.rsSales });

      const e = await eligibility(t, traceCode, head);
      expect({ allowed: e.allowed, reasons: e.reasons }).toEqual({ allowed: true, reasons: [] });
      await scanOk({ traceCode, facilityId: net.stores[6], action: 'SELL', zoneId: ZONES.rsSales, quantity: 2 });

      const byTemperature = await listAll('flag=TEMPERATURE_EXCURSION', traceCode, 50);
      expect(codesOf(byTemperature.items)).toEqual([traceCode]);
      const item = byTemperature.items[0];
      expect(item.flags.map((f) => ({ flag: f.flag, facilityId: f.facilityId }))).toEqual([
        { flag: 'TEMPERATURE_EXCURSION', facilityId: net.warehouse },
        { flag: 'RECEIPT_OUTSIDE_DEDICATED_INTAKE', facilityId: net.stores[6] },
      ]);
      expect(item).toMatchObject({ allowed: true, status: 'HELD', importers: [importer], holderFacilityId: net.stores[6] });
      const byIntake = await listAll(`flag=RECEIPT_OUTSIDE_DEDICATED_INTAKE&importer=${encodeURIComponent(importer)}`, traceCode, 50);
      expect(codesOf(byIntake.items)).toEqual([traceCode]);
      const allowed = await listAll(`status=ALLOWED&importer=${encodeURIComponent(importer)}`, traceCode, 50);
      expect(codesOf(allowed.items)).toEqual([traceCode]);
      expect((await listAll('flag=VEHICLE_NOT_DISINFECTED', traceCode, 50)).items).toEqual([]);
    });

    it('GET /api/lots/:traceCode shows the lot\'s compliance flags', async () => {
      const lot = await read<LotView>(`/api/lots/${traceCode}`);
      expect((lot.flags ?? []).map((f) => f.flag)).toEqual(['TEMPERATURE_EXCURSION', 'RECEIPT_OUTSIDE_DEDICATED_INTAKE']);
    });
  });
});
