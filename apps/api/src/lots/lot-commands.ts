import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  decideLots,
  documentAlsoOn,
  DomainError,
  FamilyReadPlan,
  FamilyReads,
  familyReadsOf,
  LotDocument,
  LotEvent,
  LotFamilyOutcomes,
  LotFamilyRequest,
  lotsRead,
  LotState,
  withFamily,
} from '@app/domain';
import { EventMetadata } from '@app/event-store';
import { DocumentIndexReader, GenealogyReader } from '@app/read-models';
import { LOT } from '../common/commands/aggregates';
import { CommandExecutor, CommandRun, Executed, Loader, Settled } from '../common/commands/command-executor';
import { LotProbeBudget } from '../access/lot-probe-budget';

/** How a lot command is recorded: who asked (the events' metadata) and, for a retryable one, its idempotency key. */
export interface LotCommandContext {
  readonly metadata: EventMetadata;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}

/** A command of a batch, with its context. */
export interface LotCommandOf<C extends LotFamilyRequest> {
  readonly command: C;
  readonly context: LotCommandContext;
}

export type LotCommandOutcome<C extends LotFamilyRequest> = LotFamilyOutcomes[C['type']];

/** The in-process key of a document: commands attaching it never share a transaction or run side by side. */
export const documentKey = (document: LotDocument): string => `document:${document.type}:${document.issuer}:${document.number}`;

const NO_READS: FamilyReads = { descendants: [], batch: [], alsoOn: [] };

const isLotNotFound = (e: unknown): boolean => e instanceof DomainError && e.code === 'LOT_NOT_FOUND';

/**
 * Every lot command runs here, as data: the lots it names locked up front,
 * what the domain says it reads beyond them (familyReadsOf: descendants,
 * the batch, other lots carrying a document) read inside its transaction,
 * decideLots, one append. Each LOT_NOT_FOUND answer (an unknown lot, or one
 * out of the key's reach) is spent from the key's LotProbeBudget.
 */
@Injectable()
export class LotCommands {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
    @Inject(DocumentIndexReader) private readonly documents: DocumentIndexReader,
    @Inject(LotProbeBudget) private readonly probes: LotProbeBudget,
  ) {}

  async run<C extends LotFamilyRequest>(command: C, context: LotCommandContext): Promise<Executed<LotCommandOutcome<C>>> {
    try {
      return await this.executor.execute(this.toRun(command, context));
    } catch (e) {
      if (isLotNotFound(e)) this.spend(context);
      throw e;
    }
  }

  /** A batch (a scanner's buffer): each settled on its own, commands on one lot in array order. */
  async runAll<C extends LotFamilyRequest>(batch: readonly LotCommandOf<C>[]): Promise<Settled<LotCommandOutcome<C>>[]> {
    const settled = await this.executor.executeAll(LOT, batch.map((b) => this.toRun(b.command, b.context)));
    settled.forEach((s, i) => {
      if (s.kind === 'refused' && isLotNotFound(s.error)) this.spend(batch[i].context);
    });
    return settled;
  }

  private spend(context: LotCommandContext): void {
    const actor = context.metadata.actor;
    // Every request's events name the key (eventMetadata); older, name-only actors spend nothing.
    if (actor && typeof actor === 'object') this.probes.spend(actor.keyId);
  }

  private toRun<C extends LotFamilyRequest>(command: C, context: LotCommandContext): CommandRun<LotState, LotEvent, LotCommandOutcome<C>> {
    const named = lotsRead(withFamily(command, NO_READS));
    const plan = familyReadsOf(command);
    return {
      aggregate: LOT,
      type: command.type,
      primary: named[0],
      metadata: context.metadata,
      idempotency: context.idempotency,
      reads: named,
      exclusive: plan.documentOf ? [documentKey(plan.documentOf.document)] : undefined,
      decide: async (load, tx, now) => {
        const full = withFamily(command, await this.read(plan, load, tx));
        const decision = decideLots(full, await load(lotsRead(full)), now);
        return { streams: decision.lots.map((l) => ({ key: l.traceCode, events: l.events })), outcome: decision.outcome as LotCommandOutcome<C> };
      },
    };
  }

  /** What the plan names, read inside the command's transaction. */
  private async read(plan: FamilyReadPlan, load: Loader<LotState>, tx: EntityManager): Promise<FamilyReads> {
    const descendants = plan.descendantsOf === null ? [] : await this.descendants(plan.descendantsOf.traceCode, plan.descendantsOf.withParents, load, tx);
    const batch = plan.batchOf === null ? [] : await this.family(await this.genealogy.roots(plan.batchOf, tx), load, tx);
    const alsoOn = plan.documentOf === null ? [] : await this.alsoOn(plan.documentOf.document, plan.documentOf.traceCode, load, tx);
    return { descendants, batch, alsoOn };
  }

  /**
   * The lots reached from these through the genealogy, locking each as it is
   * found and reading again until nothing new appears: a split that committed
   * meanwhile is seen, and one that comes later waits for this command and
   * its child inherits what it decides.
   */
  private async family(from: readonly string[], load: Loader<LotState>, tx: EntityManager): Promise<string[]> {
    const codes = new Set(await this.genealogy.descendants(from, tx));
    for (;;) {
      await load([...codes]);
      const fresh = (await this.genealogy.descendants(from, tx)).filter((c) => !codes.has(c));
      if (fresh.length === 0) return [...codes];
      for (const c of fresh) codes.add(c);
    }
  }

  /** Every descendant (not the lot itself) and the parent it came through (null: every one of its parents descends from the lot). */
  private async descendants(traceCode: string, withParents: boolean, load: Loader<LotState>, tx: EntityManager): Promise<FamilyReads['descendants']> {
    const codes = (await this.family([traceCode], load, tx)).filter((c) => c !== traceCode);
    if (!withParents) return codes.map((c) => ({ traceCode: c, viaParent: null }));
    const links = await this.genealogy.linksAmong([traceCode, ...codes], tx);
    return codes.map((c) => {
      const parents = links.filter((l) => l.child === c).map((l) => l.parent);
      return { traceCode: c, viaParent: parents.length === 1 ? parents[0] : null };
    });
  }

  /**
   * Every other lot carrying this document and how it relates to the lot,
   * read in one statement after taking the document's lock: a concurrent
   * attachment of the same document in another process commits first and is
   * seen (in this one, `exclusive` keeps them apart).
   */
  private async alsoOn(document: LotDocument, traceCode: string, load: Loader<LotState>, tx: EntityManager) {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('lot_documents'), hashtext($1))`, [documentKey(document)]);
    const { roots, others } = await this.documents.carriers(document, traceCode, tx);
    const state = (await load([traceCode])).get(traceCode)!;
    return documentAlsoOn(document, { state, roots }, others);
  }
}
