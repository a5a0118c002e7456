import { Answer, pool } from './http';
import { Actors, Eligibility } from './network';
import { CONNECTIONS } from './scale';

/** `?atLeast=` reads of the root on the named read models for each position (503 while lagging: read again). */
export const reach = async (a: Actors, root: string, positions: number[], ...views: ('sale-eligibility' | 'lot' | 'history')[]): Promise<void> => {
  for (const view of views) {
    const path = view === 'lot' ? `/api/lots/${root}` : `/api/lots/${root}/${view}`;
    await pool(positions, 4, async (p) => {
      for (;;) {
        const res = await a.regulator.get(`${path}?atLeast=${p}`);
        if (res.status === 200) return;
        if (res.status !== 503) throw new Error(`GET ${path}?atLeast=${p} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    });
  }
};

/** The till's reads, with `?atLeast=` a command's position: when the read side has reached it. */
export const probeAtLeast = async (a: Actors, traceCode: string, position: number): Promise<void> => {
  for (;;) {
    const res = await a.retailer.get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${position}`);
    if (res.status === 200) return;
    if (res.status !== 503) throw new Error(`?atLeast read answered ${res.status}`);
  }
};

/** One pass over `lots` as the till, 32 at a time: which were readable, which matched and when the last match was answered. */
export const sweep = async (a: Actors, lots: readonly string[], matches: (e: Eligibility) => boolean) => {
  const started = performance.now();
  const notReadable: string[] = [];
  const matched: string[] = [];
  let lastMatchAt = 0;
  let allowed = 0;
  await pool(lots, CONNECTIONS, async (code) => {
    const res = await a.retailer.get<Eligibility>(`/api/lots/${code}/sale-eligibility`);
    if (res.status !== 200) notReadable.push(`${code}: ${res.status}`);
    else {
      if (res.body.allowed) allowed++;
      if (matches(res.body)) {
        matched.push(code);
        lastMatchAt = performance.now();
      }
    }
  });
  return { ms: performance.now() - started, notReadable, matched, lastMatchAt, allowed };
};

/**
 * Reads every lot (as the till, no ?atLeast) until each has shown the recall.
 * `lateMs`: when (from `since`) the last lot that did not show it on the first
 * sweep finally did (0 when all did on the first).
 */
export const sweepUntil = async (a: Actors, lots: readonly string[], shows: (e: Eligibility) => boolean, since: number, timeoutMs: number) => {
  let pending = [...lots];
  let lateMs = 0;
  let sweeps = 0;
  let firstSweepMs = 0;
  while (pending.length > 0) {
    if (performance.now() - since > timeoutMs) throw new Error(`${pending.length} lots still not LOT_RECALLED after ${timeoutMs} ms`);
    const pass = await sweep(a, pending, shows);
    if (sweeps++ === 0) firstSweepMs = pass.ms;
    else if (pass.matched.length) lateMs = pass.lastMatchAt - since;
    if (pass.notReadable.length) throw new Error(`eligibility reads failed during the recall: ${pass.notReadable.slice(0, 5).join(', ')}`);
    const seen = new Set(pass.matched);
    pending = pending.filter((c) => !seen.has(c));
  }
  return { lateMs, sweeps, firstSweepMs };
};

export interface Trace {
  lots: { traceCode: string }[];
  links: unknown[];
  pending: string[];
  /** Requests it took. */
  pages: number;
}

/** The most lots a trace page holds (apps/api common/queries/page MAX_PAGE_SIZE). */
const TRACE_PAGE = 1000;

/**
 * A whole forward (or backward) trace: GET /api/lots/:code/trace, then every
 * page its `nextCursor` names, the lots and links of all pages together.
 * `get` is any client (the bench's HTTP client, or supertest in process).
 */
export const traceAll = async (
  get: (path: string) => PromiseLike<Answer<any>>,
  traceCode: string,
  o: { direction?: 'forward' | 'backward'; atLeast?: number } = {},
): Promise<Trace> => {
  const out: Trace = { lots: [], links: [], pending: [], pages: 0 };
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ direction: o.direction ?? 'forward', limit: String(TRACE_PAGE) });
    if (o.atLeast !== undefined) query.set('atLeast', String(o.atLeast));
    if (cursor) query.set('cursor', cursor);
    const res = await get(`/api/lots/${traceCode}/trace?${query}`);
    if (res.status !== 200) throw new Error(`trace of ${traceCode} (page ${out.pages + 1}) answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    out.pages++;
    out.lots.push(...res.body.lots);
    out.links.push(...res.body.links);
    out.pending.push(...(res.body.pending ?? []));
    cursor = res.body.nextCursor ?? null;
  } while (cursor);
  out.pending = [...new Set(out.pending)];
  return out;
};
