import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  decideLots,
  documentAlsoOn,
  FamilyReadPlan,
  FamilyReads,
  familyReadsOf,
  LotDocument,
  LotEvent,
  LotFamilyCommand,
  LotFamilyRequest,
  lotsRead,
  LotState,
  lotStreamId,
  withFamily,
} from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { DocumentIndexReader, GenealogyReader } from '@app/read-models';
import { CommandDecider, Decision, Widened } from '../common/commands/command-executor';

const NOTHING_MORE: FamilyReads = { descendants: [], batch: [], alsoOn: [] };

/** The in-process key of a document: commands attaching it never share a transaction or run side by side. */
export const documentKey = (document: LotDocument): string => `document:${document.type}:${document.issuer}:${document.number}`;

/**
 * How the executor decides a lot command given as data: what the domain says
 * it reads beyond the lots it names (familyReadsOf: descendants, the batch,
 * other lots carrying a document), read and locked here inside the command's
 * transaction, then decideLots on the states the executor loads for them.
 */
@Injectable()
export class LotFamilyReads implements CommandDecider<LotState, LotEvent, unknown> {
  constructor(
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
    @Inject(DocumentIndexReader) private readonly documents: DocumentIndexReader,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
  ) {}

  widen(command: unknown, named: ReadonlyMap<string, LotState>, tx: EntityManager): Widened | Promise<Widened> {
    const request = command as LotFamilyRequest;
    const plan = familyReadsOf(request);
    const widened = (reads: FamilyReads): Widened => {
      const full = withFamily(request, reads);
      return { command: full, reads: lotsRead(full) };
    };
    // Most commands (a scan) read nothing beyond the lots they name: answered without a promise.
    if (plan.descendantsOf === null && plan.batchOf === null && plan.documentOf === null) return widened(NOTHING_MORE);
    return this.read(plan, named, tx).then(widened);
  }

  decide(command: unknown, lots: ReadonlyMap<string, LotState>, now: Date): Decision<LotEvent, unknown> {
    const decision = decideLots(command as LotFamilyCommand, lots, now);
    return { streams: decision.lots.map((l) => ({ key: l.traceCode, events: l.events })), outcome: decision.outcome };
  }

  /** What the plan names, read inside the command's transaction. */
  private async read(plan: FamilyReadPlan, named: ReadonlyMap<string, LotState>, tx: EntityManager): Promise<FamilyReads> {
    const descendants = plan.descendantsOf === null ? [] : await this.descendants(plan.descendantsOf.traceCode, plan.descendantsOf.withParents, tx);
    const batch = plan.batchOf === null ? [] : await this.family(await this.genealogy.roots(plan.batchOf, tx), tx);
    const alsoOn = plan.documentOf === null ? [] : await this.alsoOn(plan.documentOf.document, plan.documentOf.traceCode, named, tx);
    return { descendants, batch, alsoOn };
  }

  /**
   * The lots reached from these through the genealogy, locking each as it is
   * found and reading again until nothing new appears: a split that committed
   * meanwhile is seen, and one that comes later waits for this command and
   * its child inherits what it decides.
   */
  private async family(from: readonly string[], tx: EntityManager): Promise<string[]> {
    const codes = new Set(await this.genealogy.descendants(from, tx));
    for (;;) {
      await this.store.lockStreams([...codes].sort().map(lotStreamId), tx);
      const fresh = (await this.genealogy.descendants(from, tx)).filter((c) => !codes.has(c));
      if (fresh.length === 0) return [...codes];
      for (const c of fresh) codes.add(c);
    }
  }

  /** Every descendant (not the lot itself) and the parent it came through (null: every one of its parents descends from the lot). */
  private async descendants(traceCode: string, withParents: boolean, tx: EntityManager): Promise<FamilyReads['descendants']> {
    const codes = (await this.family([traceCode], tx)).filter((c) => c !== traceCode);
    if (!withParents) return codes.map((c) => ({ traceCode: c, viaParent: null }));
    // Grouped by child once: a recall reaches 10,000 lots, and a scan of the links per lot was quadratic.
    const parentsOf = new Map<string, string[]>();
    for (const l of await this.genealogy.linksAmong([traceCode, ...codes], tx)) {
      const parents = parentsOf.get(l.child);
      if (parents) parents.push(l.parent);
      else parentsOf.set(l.child, [l.parent]);
    }
    return codes.map((c) => {
      const parents = parentsOf.get(c) ?? [];
      return { traceCode: c, viaParent: parents.length === 1 ? parents[0] : null };
    });
  }

  /**
   * Every other lot carrying this document and how it relates to the lot,
   * read in one statement after taking the document's lock: a concurrent
   * attachment of the same document in another process commits first and is
   * seen (in this one, `exclusive` keeps them apart).
   */
  private async alsoOn(document: LotDocument, traceCode: string, named: ReadonlyMap<string, LotState>, tx: EntityManager) {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('lot_documents'), hashtext($1))`, [documentKey(document)]);
    const { roots, others } = await this.documents.carriers(document, traceCode, tx);
    return documentAlsoOn(document, { state: named.get(traceCode)!, roots }, others);
  }
}
