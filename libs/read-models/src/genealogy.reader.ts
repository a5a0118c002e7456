import { DataSource, EntityManager } from 'typeorm';

export interface LotLink {
  parent: string;
  child: string;
  kind: 'SPLIT' | 'MERGE';
  operationId: string;
  quantity: number;
  occurredAt: string;
}

/** The lot given as $1 and all its ancestors, as the recursive table `up`. */
const UP = `WITH RECURSIVE up(trace_code) AS (
  SELECT $1::text
  UNION
  SELECT l.parent_trace_code FROM lot_links l JOIN up u ON l.child_trace_code = u.trace_code
)`;

/** Walks `lot_links` with recursive queries: forward to every descendant, backward to every ancestor. */
export class GenealogyReader {
  constructor(private readonly dataSource: DataSource) {}

  /** The lots themselves and all their descendants, transitively. */
  async descendants(traceCodes: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { trace_code: string }[] = await manager.query(
      `WITH RECURSIVE down(trace_code) AS (
         SELECT unnest($1::text[])
         UNION
         SELECT l.child_trace_code FROM lot_links l JOIN down d ON l.parent_trace_code = d.trace_code
       ) SELECT trace_code FROM down`,
      [traceCodes],
    );
    return rows.map((r) => r.trace_code);
  }

  /**
   * The lots themselves and all their descendants (as `descendants`), with
   * the links from each to its children: every link among them, since the
   * set holds every child of its lots. One statement for both.
   */
  async descendantsAndLinks(traceCodes: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<{ codes: string[]; links: { parent: string; child: string }[] }> {
    const rows: { trace_code: string; child: string | null }[] = await manager.query(
      `WITH RECURSIVE down(trace_code) AS (
         SELECT unnest($1::text[])
         UNION
         SELECT l.child_trace_code FROM lot_links l JOIN down d ON l.parent_trace_code = d.trace_code
       ) SELECT d.trace_code, l.child_trace_code AS child FROM down d LEFT JOIN lot_links l ON l.parent_trace_code = d.trace_code`,
      [traceCodes],
    );
    const codes = new Set<string>();
    const links: { parent: string; child: string }[] = [];
    for (const r of rows) {
      codes.add(r.trace_code);
      if (r.child !== null) links.push({ parent: r.trace_code, child: r.child });
    }
    return { codes: [...codes], links };
  }

  /** The lot and all its ancestors, transitively. */
  async ancestors(traceCode: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { trace_code: string }[] = await manager.query(`${UP} SELECT trace_code FROM up`, [traceCode]);
    return rows.map((r) => r.trace_code);
  }

  /** The import lots (no parents) this lot descends from; the lot itself when it is one. */
  async roots(traceCode: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { trace_code: string }[] = await manager.query(
      `${UP} SELECT u.trace_code FROM up u WHERE NOT EXISTS (SELECT 1 FROM lot_links l WHERE l.child_trace_code = u.trace_code)`,
      [traceCode],
    );
    return rows.map((r) => r.trace_code);
  }

  /** Every link between the given lots. */
  linksAmong(traceCodes: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<LotLink[]> {
    return this.linksInto(traceCodes, traceCodes, manager);
  }

  /** The links into `children` from any of `parents` (a page of a trace: the links into the lots it shows). */
  async linksInto(children: readonly string[], parents: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<LotLink[]> {
    const rows: { parent_trace_code: string; child_trace_code: string; kind: 'SPLIT' | 'MERGE'; operation_id: string; quantity: string; occurred_at: Date }[] =
      await manager.query(
        `SELECT parent_trace_code, child_trace_code, kind, operation_id, quantity, occurred_at FROM lot_links
          WHERE child_trace_code = ANY($1) AND parent_trace_code = ANY($2) ORDER BY occurred_at, parent_trace_code, child_trace_code`,
        [children, parents],
      );
    return rows.map((r) => ({
      parent: r.parent_trace_code,
      child: r.child_trace_code,
      kind: r.kind,
      operationId: r.operation_id,
      quantity: Number(r.quantity),
      occurredAt: r.occurred_at.toISOString(),
    }));
  }
}
