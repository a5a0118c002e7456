import { DocumentAlsoOn } from './lot.commands';
import { LotState, paperLines } from './lot.state';
import { LotDocument } from './lot.types';

/** Another lot carrying the same document, as the documents index and the genealogy know it. */
export interface DocumentCarrier {
  readonly traceCode: string;
  /** The import lots it descends from (itself when it is one). */
  readonly roots: readonly string[];
  /** The customs declaration numbers on file for it. */
  readonly declarations: readonly string[];
}

/** The lot a document is being attached to: its state and the import lots it descends from. */
export interface DocumentTarget {
  readonly state: LotState;
  readonly roots: readonly string[];
}

/**
 * The document-reuse rule's facts: how each other lot carrying this very
 * document relates to the lot it is attached to, by a common import lot
 * (the same goods, split or repacked) or a common customs declaration (one
 * import). The lot's own declarations are those on its paper lines (its own
 * and those it carries from its parents) and the document itself when it is
 * one. The decider flags DOCUMENT_REUSED for every lot related neither way.
 */
export const documentAlsoOn = (document: LotDocument, target: DocumentTarget, others: readonly DocumentCarrier[]): DocumentAlsoOn[] => {
  const roots = new Set(target.roots);
  const declarations = new Set(
    paperLines(target.state)
      .flatMap((line) => line.documents)
      .filter((d) => d.type === 'CUSTOMS_DECLARATION')
      .map((d) => d.number),
  );
  if (document.type === 'CUSTOMS_DECLARATION') declarations.add(document.number);
  return others.map((other) => ({
    traceCode: other.traceCode,
    sameGenealogy: other.roots.some((r) => roots.has(r)),
    sameDeclaration: other.declarations.some((n) => declarations.has(n)),
  }));
};
