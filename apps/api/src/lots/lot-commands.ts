import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { decideLots, documentAlsoOn, DocumentAlsoOn, DomainError, LotDocument, LotEvent, LotFamilyCommand, lotsRead, LotFamilyOutcome, LotState } from '@app/domain';
import { EventMetadata } from '@app/event-store';
import { DocumentIndexReader, GenealogyReader } from '@app/read-models';
import { LOT } from '../common/commands/aggregates';
import { CommandExecutor, CommandRun, Executed, Loader, Settled } from '../common/commands/command-executor';
import { LotProbeBudget } from '../access/lot-probe-budget';

/**
 * Finds, inside the command's transaction, the lots a command reaches
 * through the genealogy, locking each as it is found and reading again until
 * nothing new appears: a split that committed meanwhile is seen, and one that
 * comes later waits for this command and its child inherits what it decides.
 */
export interface FamilyFinder {
  /** Every descendant of the lot, transitively (not the lot itself). */
  descendants(traceCode: string): Promise<string[]>;
  /** Every descendant and the parent it came through (null: every one of its parents descends from the lot). */
  descendantsWithParent(traceCode: string): Promise<{ traceCode: string; viaParent: string | null }[]>;
  /** The whole batch: every import lot the lot descends from and all their descendants. */
  batch(traceCode: string): Promise<string[]>;
  /**
   * Every other lot carrying this document and how it relates to the lot (the
   * document-reuse rule's facts), read in one statement after taking the
   * document's lock: a concurrent attachment of the same document commits
   * first and is seen (the command names the document in `exclusive`).
   */
  documentAlsoOn(document: LotDocument, traceCode: string): Promise<DocumentAlsoOn[]>;
}

/** The in-process key of a document: commands attaching it never share a transaction or run side by side. */
export const documentKey = (document: LotDocument): string => `document:${document.type}:${document.issuer}:${document.number}`;

export interface LotCommandArgs<C extends LotFamilyCommand> {
  /** The command's name, known before it is built (a replayed command is never built); must be the one `command` builds. */
  readonly type: C['type'];
  /** The lot most commands on it contend on. */
  readonly primary: string;
  /** The command, built inside the transaction once what it reaches is known (`lots` loads and locks lots' states). */
  readonly command: (family: FamilyFinder, lots: Loader<LotState>) => C | Promise<C>;
  readonly metadata: EventMetadata;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  /** The lots it reads, when known before it is built (a scan: its lot); a batch locks them all up front. */
  readonly reads?: readonly string[];
  /** Keys other than lots it must hold alone (a document it attaches): see CommandRun.exclusive. */
  readonly exclusive?: readonly string[];
}

const isLotNotFound = (e: unknown): boolean => e instanceof DomainError && e.code === 'LOT_NOT_FOUND';

/**
 * Every lot command runs here: the family found and locked, the states
 * loaded, decideLots, one append. Each LOT_NOT_FOUND answer (an unknown lot,
 * or one out of the key's reach) is spent from the key's LotProbeBudget.
 */
@Injectable()
export class LotCommands {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
    @Inject(DocumentIndexReader) private readonly documents: DocumentIndexReader,
    @Inject(LotProbeBudget) private readonly probes: LotProbeBudget,
  ) {}

  async run<C extends LotFamilyCommand>(args: LotCommandArgs<C>): Promise<Executed<LotFamilyOutcome<C>>> {
    try {
      return await this.executor.execute(this.toRun(args));
    } catch (e) {
      if (isLotNotFound(e)) this.spend(args);
      throw e;
    }
  }

  /** A batch (a scanner's buffer): each settled on its own, commands on one lot in array order, in one transaction. */
  async runAll<C extends LotFamilyCommand>(batch: readonly LotCommandArgs<C>[]): Promise<Settled<LotFamilyOutcome<C>>[]> {
    const settled = await this.executor.executeAll(LOT, batch.map((args) => this.toRun(args)));
    settled.forEach((s, i) => {
      if (s.kind === 'refused' && isLotNotFound(s.error)) this.spend(batch[i]);
    });
    return settled;
  }

  private spend(args: LotCommandArgs<LotFamilyCommand>): void {
    const actor = args.metadata.actor;
    // Every request's events name the key (eventMetadata); older, name-only actors spend nothing.
    if (actor && typeof actor === 'object') this.probes.spend(actor.keyId);
  }

  private toRun<C extends LotFamilyCommand>(args: LotCommandArgs<C>): CommandRun<LotState, LotEvent, LotFamilyOutcome<C>> {
    return {
      aggregate: LOT,
      type: args.type,
      primary: args.primary,
      metadata: args.metadata,
      idempotency: args.idempotency,
      reads: args.reads,
      exclusive: args.exclusive,
      decide: async (load, tx, now) => {
        const command = await args.command(this.finder(load, tx), load);
        if (command.type !== args.type) throw new Error(`a ${args.type} run built a ${command.type} command`);
        const decision = decideLots(command, await load(lotsRead(command)), now);
        return { streams: decision.lots.map((l) => ({ key: l.traceCode, events: l.events })), outcome: decision.outcome };
      },
    };
  }

  private finder(load: Loader<LotState>, tx: EntityManager): FamilyFinder {
    const family = async (from: readonly string[]): Promise<string[]> => {
      const codes = new Set(await this.genealogy.descendants(from, tx));
      for (;;) {
        await load([...codes]);
        const fresh = (await this.genealogy.descendants(from, tx)).filter((c) => !codes.has(c));
        if (fresh.length === 0) return [...codes];
        for (const c of fresh) codes.add(c);
      }
    };
    return {
      descendants: async (traceCode) => (await family([traceCode])).filter((c) => c !== traceCode),
      descendantsWithParent: async (traceCode) => {
        const codes = await family([traceCode]);
        const links = await this.genealogy.linksAmong(codes, tx);
        return codes
          .filter((c) => c !== traceCode)
          .map((c) => {
            const parents = links.filter((l) => l.child === c).map((l) => l.parent);
            return { traceCode: c, viaParent: parents.length === 1 ? parents[0] : null };
          });
      },
      batch: async (traceCode) => family(await this.genealogy.roots(traceCode, tx)),
      documentAlsoOn: async (document, traceCode) => {
        // Across processes, the same document's attachments queue here until the one before commits.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('lot_documents'), hashtext($1))`, [documentKey(document)]);
        const { roots, others } = await this.documents.carriers(document, traceCode, tx);
        const state = (await load([traceCode])).get(traceCode)!;
        return documentAlsoOn(document, { state, roots }, others);
      },
    };
  }
}
