import { Inject, Injectable } from '@nestjs/common';
import { DomainError, FamilyReads, familyReadsOf, LotEvent, LotFamilyOutcomes, LotFamilyRequest, lotsRead, LotState, withFamily } from '@app/domain';
import { EventMetadata } from '@app/event-store';
import { LOT } from '../common/commands/aggregates';
import { BatchRolledBack, CommandDecider, CommandExecutor, CommandRun, Executed, Settled } from '../common/commands/command-executor';
import { LotProbeBudget } from '../access/lot-probe-budget';
import { documentKey, LotFamilyReads } from './lot-family.reads';
import { ScanRefusals } from './scan-refusals';

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

const NO_READS: FamilyReads = { descendants: [], batch: [], alsoOn: [], temperatureLog: [] };

const isLotNotFound = (e: unknown): boolean => e instanceof DomainError && e.code === 'LOT_NOT_FOUND';

/**
 * Every lot command runs here, as data: the lots it names locked up front,
 * then the executor has LotFamilyReads read what it needs beyond them and
 * decide, one append. Each LOT_NOT_FOUND answer (an unknown lot, or one
 * out of the key's reach) is spent from the key's LotProbeBudget; each scan
 * the domain refused is written down for regulators (ScanRefusals), once its
 * transaction is over.
 */
@Injectable()
export class LotCommands {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(LotFamilyReads) private readonly family: LotFamilyReads,
    @Inject(LotProbeBudget) private readonly probes: LotProbeBudget,
    @Inject(ScanRefusals) private readonly refusals: ScanRefusals,
  ) {}

  async run<C extends LotFamilyRequest>(command: C, context: LotCommandContext): Promise<Executed<LotCommandOutcome<C>>> {
    try {
      return await this.executor.execute(this.toRun(command, context));
    } catch (e) {
      if (isLotNotFound(e)) this.spend(context);
      if (e instanceof DomainError) await this.refusals.record([{ command, context, error: e }]);
      throw e;
    }
  }

  /**
   * A batch (a scanner's buffer): each settled on its own, commands on one lot in array order.
   * All or nothing: when any is refused nothing is recorded, and BatchRolledBack names the refused ones.
   */
  async runAll<C extends LotFamilyRequest>(batch: readonly LotCommandOf<C>[], options: { allOrNothing?: boolean } = {}): Promise<Settled<LotCommandOutcome<C>>[]> {
    let settled: readonly (Settled<LotCommandOutcome<C>> | undefined)[];
    try {
      settled = await this.executor.executeAll(LOT, batch.map((b) => this.toRun(b.command, b.context)), options);
    } catch (e) {
      if (!(e instanceof BatchRolledBack)) throw e;
      await this.settledAll(batch, batch.map((_, i) => e.refused.get(i)));
      throw e;
    }
    await this.settledAll(batch, settled);
    return settled as Settled<LotCommandOutcome<C>>[];
  }

  /** A batch's probes spent and refused scans written down, recorded or not. */
  private async settledAll<C extends LotFamilyRequest>(batch: readonly LotCommandOf<C>[], settled: readonly (Settled<unknown> | undefined)[]): Promise<void> {
    settled.forEach((s, i) => {
      if (s?.kind === 'refused' && isLotNotFound(s.error)) this.spend(batch[i].context);
    });
    await this.refusals.record(
      settled.flatMap((s, i) => (s?.kind === 'refused' && s.error instanceof DomainError ? [{ ...batch[i], error: s.error }] : [])),
    );
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
      command,
      // Its outcome is the one decideLots gives for this command's type.
      decider: this.family as CommandDecider<LotState, LotEvent, LotCommandOutcome<C>>,
    };
  }
}
