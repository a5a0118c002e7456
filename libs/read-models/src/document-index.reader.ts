import { DataSource, EntityManager } from 'typeorm';
import { DocumentType } from '@app/domain';

/** Reads the documents index (lot_documents): which lots carry a document, and their customs declarations. */
export class DocumentIndexReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Every lot but `except` carrying this document (type, issuer, number). */
  async lotsCarrying(
    document: { readonly type: DocumentType; readonly issuer: string; readonly number: string },
    except: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: { trace_code: string }[] = await manager.query(
      `SELECT trace_code FROM lot_documents WHERE type = $1 AND issuer = $2 AND number = $3 AND trace_code <> $4 ORDER BY trace_code`,
      [document.type, document.issuer, document.number, except],
    );
    return rows.map((r) => r.trace_code);
  }

  /** The customs declaration numbers on file for each of these lots. */
  async declarations(traceCodes: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, Set<string>>> {
    const rows: { trace_code: string; number: string }[] = await manager.query(
      `SELECT trace_code, number FROM lot_documents WHERE type = 'CUSTOMS_DECLARATION' AND trace_code = ANY($1)`,
      [traceCodes],
    );
    const found = new Map<string, Set<string>>(traceCodes.map((tc) => [tc, new Set<string>()]));
    for (const r of rows) found.get(r.trace_code)!.add(r.number);
    return found;
  }
}
