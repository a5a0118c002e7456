import { createTestApp, TestApp } from './support/test-app';
import { Network, registerLot, registerNetwork, uid, walkToStore } from './support/fixtures';

interface Paged {
  nextCursor: string | null;
}

/** The fields a 400 names: details.field (a cursor judged by the handler) or details.errors[].field (the request's validation). */
const fieldsOf = (body: { details?: { field?: string; errors?: { field: string }[] } }): string[] => [
  ...(body.details?.field ? [body.details.field] : []),
  ...(body.details?.errors ?? []).map((e) => e.field),
];

/**
 * Every list that can grow comes a page at a time (`limit`, `cursor` =
 * the previous page's `nextCursor`): walking the pages gives exactly what one
 * big page gives, each item once, and a cursor is only good where it came from.
 */
describe('pagination of history, trace, inventory, facilities and recall (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  let parent: string;
  let children: string[];
  let head: number;
  let recallId: string;

  /** Every page of `url` at `limit`, and the items `pick` takes from each. */
  const walk = async <P extends Paged, I>(url: string, limit: number, pick: (page: P) => I[]): Promise<{ items: I[]; pages: P[] }> => {
    const pages: P[] = [];
    let cursor: string | null = null;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const res = await t.http().get(`${url}${sep}limit=${limit}&atLeast=${head}${cursor ? `&cursor=${cursor}` : ''}`);
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
      const page = res.body as P;
      expect(pick(page).length).toBeLessThanOrEqual(limit);
      pages.push(page);
      cursor = page.nextCursor;
      if (pages.length > 100) throw new Error('pagination does not end');
    } while (cursor);
    return { items: pages.flatMap(pick), pages };
  };

  const whole = async <P>(url: string): Promise<P> => {
    const sep = url.includes('?') ? '&' : '?';
    const res = await t.http().get(`${url}${sep}limit=1000&atLeast=${head}`).expect(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body as P;
  };

  beforeAll(async () => {
    t = await createTestApp();
    n = await registerNetwork(t);
    parent = (await registerLot(t, n, `PAGE-${uid()}`)).traceCode;
    await walkToStore(t, n, parent);
    children = Array.from({ length: 7 }, (_, i) => `${parent}-C${i + 1}`);
    const split = await t
      .http()
      .post(`/api/lots/${parent}/splits`)
      .send({ splitId: `SPLIT-${uid()}`, children: children.map((traceCode) => ({ traceCode, quantity: 5 })) })
      .expect(201);
    head = split.body.position;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('a lot history', () => {
    type History = Paged & { events: { version: number; occurredAt: string }[] };

    it.each(['recorded', 'occurred'])('order=%s: pages of 4 give the whole history, in order, each event once', async (order) => {
      const all = await whole<History>(`/api/lots/${parent}/history?order=${order}`);
      expect(all.events.length).toBeGreaterThan(12);
      const { items, pages } = await walk<History, History['events'][number]>(`/api/lots/${parent}/history?order=${order}`, 4, (p) => p.events);
      expect(items).toEqual(all.events);
      expect(pages.length).toBe(Math.ceil(all.events.length / 4));
      expect(pages[pages.length - 1].nextCursor).toBeNull();
    });

    it('defaults to pages of 200: a short history comes whole, with nextCursor null', async () => {
      const res = await t.http().get(`/api/lots/${parent}/history?atLeast=${head}`).expect(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.events.length).toBeGreaterThan(12);
    });

    it('a cursor of one order is refused by the other, and by another endpoint: 400 VALIDATION_FAILED on cursor', async () => {
      const first = (await t.http().get(`/api/lots/${parent}/history?limit=2&atLeast=${head}`).expect(200)).body as History;
      expect(first.nextCursor).not.toBeNull();
      for (const url of [`/api/lots/${parent}/history?order=occurred`, `/api/lots/${parent}/trace?direction=forward`, `/api/recalls/R-${uid()}`]) {
        const res = await t.http().get(`${url}${url.includes('?') ? '&' : '?'}cursor=${first.nextCursor}`);
        expect({ url, status: res.status, code: res.body.code, fields: fieldsOf(res.body) }).toEqual({ url, status: 400, code: 'VALIDATION_FAILED', fields: ['cursor'] });
      }
    });

    it('a page past the end of a known lot is empty; an unknown lot is 404 with or without a cursor', async () => {
      const all = await whole<History>(`/api/lots/${parent}/history`);
      const last = (await t.http().get(`/api/lots/${parent}/history?limit=${all.events.length - 1}`).expect(200)).body as History;
      const end = await t.http().get(`/api/lots/${parent}/history?limit=5&cursor=${last.nextCursor}`).expect(200);
      expect(end.body).toMatchObject({ events: [all.events[all.events.length - 1]], nextCursor: null });
      await t.http().get(`/api/lots/NOPE-${uid()}/history`).expect(404);
      await t.http().get(`/api/lots/NOPE-${uid()}/history?cursor=${last.nextCursor}`).expect(404);
    });
  });

  describe('a trace', () => {
    type Trace = Paged & { lots: { traceCode: string }[]; links: { parent: string; child: string }[] };

    it('forward, pages of 3: every lot once, in trace-code order, each link on the page of its child', async () => {
      const all = await whole<Trace>(`/api/lots/${parent}/trace?direction=forward`);
      expect(all.lots.map((l) => l.traceCode).sort()).toEqual([parent, ...children].sort());
      expect(all.links).toHaveLength(7);
      const { items, pages } = await walk<Trace, string>(`/api/lots/${parent}/trace?direction=forward`, 3, (p) => p.lots.map((l) => l.traceCode));
      expect(items).toEqual(all.lots.map((l) => l.traceCode));
      expect(pages.map((p) => p.lots.length)).toEqual([3, 3, 2]);
      for (const page of pages) {
        const shown = new Set(page.lots.map((l) => l.traceCode));
        for (const link of page.links) expect(shown.has(link.child)).toBe(true);
      }
      const links = pages.flatMap((p) => p.links);
      expect(links).toHaveLength(7);
      expect(new Set(links.map((l) => `${l.parent}>${l.child}`)).size).toBe(7);
    });

    it('backward from a child: the child and its parent, one link', async () => {
      const back = await whole<Trace>(`/api/lots/${children[3]}/trace?direction=backward`);
      expect(back.lots.map((l) => l.traceCode).sort()).toEqual([children[3], parent].sort());
      expect(back.links).toEqual([expect.objectContaining({ parent, child: children[3] })]);
    });
  });

  describe('an inventory', () => {
    type Inventory = Paged & { lots: { traceCode: string }[] };

    it('pages of 3 list every lot the store holds, once', async () => {
      const all = await whole<Inventory>(`/api/facilities/${n.store}/inventory`);
      expect(all.lots.map((l) => l.traceCode).sort()).toEqual([parent, ...children].sort());
      const { items } = await walk<Inventory, string>(`/api/facilities/${n.store}/inventory`, 3, (p) => p.lots.map((l) => l.traceCode));
      expect(items).toEqual(all.lots.map((l) => l.traceCode));
    });
  });

  describe('the facilities', () => {
    type Facilities = Paged & { items: { id: string; name: string; type: string; zones: { id: string; kind: string }[] }[] };

    it('pages of 3 list every registered facility once, in id order, each with its zones', async () => {
      const all = await whole<Facilities>('/api/facilities');
      const ids = all.items.map((f) => f.id);
      expect(ids).toEqual([...ids].sort());
      expect(ids).toEqual(expect.arrayContaining([n.port, n.warehouse, n.market, n.store]));
      // Each as GET /api/facilities/:id has it.
      for (const f of all.items) {
        const { id, name, type, zones } = (await t.http().get(`/api/facilities/${f.id}`).expect(200)).body as Facilities['items'][number];
        expect(f).toEqual({ id, name, type, zones });
      }
      const { items } = await walk<Facilities, string>('/api/facilities', 3, (p) => p.items.map((f) => f.id));
      expect(items).toEqual(ids);
    });
  });

  describe('a recall', () => {
    type Recall = Paged & { recallId: string; origin: string; lotCount: number; lots: { traceCode: string }[] };

    beforeAll(async () => {
      recallId = `RECALL-${uid()}`;
      const res = await t.http().post(`/api/lots/${parent}/recall`).send({ reason: 'importer recall', recallId }).expect(201);
      head = res.body.position;
    });

    it('pages of 3: the same recall on every page (origin, count), every recalled lot once', async () => {
      const all = await whole<Recall>(`/api/recalls/${recallId}`);
      expect(all).toMatchObject({ recallId, origin: parent, lotCount: 8 });
      const { items, pages } = await walk<Recall, string>(`/api/recalls/${recallId}`, 3, (p) => p.lots.map((l) => l.traceCode));
      expect(items).toEqual(all.lots.map((l) => l.traceCode));
      expect(items.sort()).toEqual([parent, ...children].sort());
      for (const p of pages) expect(p).toMatchObject({ origin: parent, lotCount: 8 });
    });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=%21%21', 'cursor'],
    [`cursor=${Buffer.from('{"version":"1"}').toString('base64url')}`, 'cursor'],
  ])('?%s is a 400 naming %s, on every paged list', async (query, field) => {
    for (const url of [
      `/api/lots/${parent}/history`,
      `/api/lots/${parent}/trace?direction=forward`,
      `/api/facilities/${n.store}/inventory`,
      `/api/recalls/${recallId}`,
      '/api/lots',
      '/api/facilities',
    ]) {
      const res = await t.http().get(`${url}${url.includes('?') ? '&' : '?'}${query}`);
      expect({ url, status: res.status, code: res.body.code, fields: fieldsOf(res.body) }).toEqual({ url, status: 400, code: 'VALIDATION_FAILED', fields: [field] });
    }
  });
});
