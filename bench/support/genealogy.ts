import { pool } from './http';
import { Actors, Network, registerLot, uid, walkToStore, Written } from './network';

export interface Genealogy {
  root: string;
  /** Every lot, the root first. */
  lots: string[];
  /** The position each building command answered (concurrent splits commit out of order). */
  positions: number[];
}

/**
 * An import lot walked to the retail store's sales zone, then split there
 * level by level through the real split command over HTTP (1 -> 10 -> 100 ->
 * 10,000 for shape 10,10,100): every lot sits at the store, where the
 * retailer's till may read it.
 */
export const buildGenealogy = async (a: Actors, n: Network, shape: readonly number[], leafKg = 10, concurrency = 4): Promise<Genealogy> => {
  const leaves = shape.reduce((x, y) => x * y, 1);
  const root = `RB-${uid()}`;
  const positions = [(await registerLot(a, n, root, leaves * leafKg)).position];
  positions.push((await walkToStore(a, n, root)).position);
  const lots = [root];
  let level = [{ traceCode: root, quantity: leaves * leafKg }];
  for (const fanout of shape) {
    const next = await pool(level, concurrency, async (parent) => {
      const children = Array.from({ length: fanout }, (_, i) => ({ traceCode: `${parent.traceCode}.${i}`, quantity: parent.quantity / fanout }));
      const res = await a.operator.ok<Written>(`/api/lots/${parent.traceCode}/splits`, { splitId: `SP-${uid()}`, children }, [201]);
      positions.push(res.position);
      return children;
    });
    level = next.flat();
    lots.push(...level.map((c) => c.traceCode));
  }
  return { root, lots, positions };
};
