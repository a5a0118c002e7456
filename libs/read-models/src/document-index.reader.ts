import { DataSource, EntityManager } from 'typeorm';
import { DocumentType } from '@app/domain';

/** Reads the documents index (lot_documents): which lots carry a document, and their customs declarations. */
export class DocumentIndexReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * In one statement: the import lots `traceCode` descends from, and every
   * other lot carrying this document with its own import lots and customs
   * declarations (what the document-reuse rule reads).
   */
  async carriers(
    document: { readonly type: DocumentType; readonly issuer: string; readonly number: string },
    traceCode: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ roots: string[]; others: { traceCode: string; roots: string[]; declarations: string[] }[] }> {
    const rows: { trace_code: string; roots: string[]; declarations: string[] }[] = await manager.query(
      `WITH RECURSIVE lots(trace_code) AS (
         SELECT $4::text
         UNION SELECT trace_code FROM lot_documents WHERE type = $1 AND issuer = $2 AND number = $3 AND trace_code <> $4
       ), up(lot, trace_code) AS (
         SELECT trace_code, trace_code FROM lots
         UNION SELECT u.lot, l.parent_trace_code FROM lot_links l JOIN up u ON l.child_trace_code = u.trace_code
       )
       SELECT s.trace_code,
              ARRAY(SELECT u.trace_code FROM up u WHERE u.lot = s.trace_code
                     AND NOT EXISTS (SELECT 1 FROM lot_links l WHERE l.child_trace_code = u.trace_code) ORDER BY u.trace_code) AS roots,
              ARRAY(SELECT d.number FROM lot_documents d WHERE d.trace_code = s.trace_code AND d.type = 'CUSTOMS_DECLARATION') AS declarations
         FROM lots s ORDER BY s.trace_code`,
      [document.type, document.issuer, document.number, traceCode],
    );
    const self = rows.find((r) => r.trace_code === traceCode);
    return {
      roots: self?.roots ?? [traceCode],
      others: rows.filter((r) => r.trace_code !== traceCode).map((r) => ({ traceCode: r.trace_code, roots: r.roots, declarations: r.declarations })),
    };
  }
}
