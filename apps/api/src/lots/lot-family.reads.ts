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
  LotFamilyOutcomes,
  LotFamilyRequest,
  lotsRead,
  LotState,
  lotStreamId,
  withFamily,
} from '@app/domain';
import { LockedStream, PostgresEventStore, readingsSha256 } from '@app/event-store';
import { DocumentIndexReader, GenealogyReader, TemperatureLogStore } from '@app/read-models';
import { CommandDecider, Decision, Widened } from '../common/commands/command-executor';

/** A lot with no upload of its own and no ancestor has no log: nothing to read (a logger's first upload for an import lot). */
const mayHaveLog = (state: LotState | undefined): boolean => state === undefined || state.temperatureLog !== null || state.parents.length > 0;

/** Where an upload came from, as its TemperaturesRecorded event says. */
const facilityOf = (lots: readonly { traceCode: string; events: readonly LotEvent[] }[], traceCode: string): string | null => {
  const recorded = lots.find((l) => l.traceCode === traceCode)?.events.find((e) => e.type === 'TemperaturesRecorded');
  return recorded?.type === 'TemperaturesRecorded' ? recorded.data.facilityId : null;
};

const NOTHING_MORE: FamilyReads = { descendants: [], batch: [], alsoOn: [], temperatureLog: [] };

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
    @Inject(TemperatureLogStore) private readonly temperatures: TemperatureLogStore,
  ) {}

  widen(command: unknown, named: ReadonlyMap<string, LotState>, tx: EntityManager): Widened | Promise<Widened> {
    const request = command as LotFamilyRequest;
    const plan = familyReadsOf(request);
    const widened = (reads: FamilyReads): Widened => {
      const full = withFamily(request, reads);
      return { command: full, reads: lotsRead(full) };
    };
    // Most commands (a scan) read nothing beyond the lots they name: answered without a promise.
    if (plan.descendantsOf === null && plan.batchOf === null && plan.documentOf === null && plan.temperatureLogOf === null) return widened(NOTHING_MORE);
    return this.read(plan, named, tx).then(({ locked, ...reads }) => ({ ...widened(reads), locked }));
  }

  decide(command: unknown, lots: ReadonlyMap<string, LotState>, now: Date): Decision<LotEvent, unknown> {
    const c = command as LotFamilyCommand;
    const decision = decideLots(c, lots, now);
    const streams = decision.lots.map((l) => ({ key: l.traceCode, events: l.events }));
    if (c.type !== 'RecordTemperatures') return { streams, outcome: decision.outcome };
    // The new readings go beside the upload's event, not into the outcome (a retry's answer, metrics).
    const { readings, ...outcome } = decision.outcome as LotFamilyOutcomes['RecordTemperatures'];
    const upload = { uploadId: outcome.uploadId, traceCode: c.traceCode, deviceId: c.data.deviceId, facilityId: facilityOf(decision.lots, c.traceCode), readings };
    // The event carries the digest of exactly what the write stores (these readings, in this order): its hash and signature then cover them.
    const digest = readingsSha256(readings);
    const signed = streams.map((s) =>
      s.key !== c.traceCode
        ? s
        : { ...s, events: s.events.map((e) => (e.type === 'TemperaturesRecorded' && e.data.uploadId === upload.uploadId ? { ...e, data: { ...e.data, readingsSha256: digest } } : e)) },
    );
    return { streams: signed, outcome, write: (tx) => this.temperatures.write([upload], tx) };
  }

  /**
   * What the plan names, read inside the command's transaction. The family is
   * walked and locked once: from the batch's import lots when the plan asks
   * for the batch (the lot's descendants are part of it), else from the lot.
   */
  private async read(plan: FamilyReadPlan, named: ReadonlyMap<string, LotState>, tx: EntityManager): Promise<FamilyReads & { locked: ReadonlyMap<string, LockedStream> }> {
    // A lot that was never split or repacked has no descendants: its own stream, locked, says so (most uploads' case).
    const of = plan.descendantsOf !== null && plan.batchOf === null && named.get(plan.descendantsOf.traceCode)?.children.length === 0 ? null : plan.descendantsOf;
    const from = plan.batchOf !== null ? await this.genealogy.roots(plan.batchOf, tx) : of !== null ? [of.traceCode] : [];
    // The links are needed to find the lot's own descendants in its batch, or the parent each came through.
    const { codes, locked, links } = await this.family(from, plan.batchOf !== null || of?.withParents === true, tx);
    const batch = plan.batchOf === null ? [] : codes;
    const descendants = of === null ? [] : this.descendants(of.traceCode, of.withParents, codes, links);
    const alsoOn = plan.documentOf === null ? [] : await this.alsoOn(plan.documentOf.document, plan.documentOf.traceCode, named, tx);
    // After the lot's lock (the executor took it): no upload of this lot commits between this read and the append.
    const temperatureLog = plan.temperatureLogOf === null || !mayHaveLog(named.get(plan.temperatureLogOf)) ? [] : await this.temperatures.log(plan.temperatureLogOf, tx);
    return { descendants, batch, alsoOn, temperatureLog, locked };
  }

  /**
   * The lots reached from these through the genealogy, locking each as it is
   * found and reading again until nothing new appears: a split that committed
   * meanwhile is seen, and one that comes later waits for this command and
   * its child inherits what it decides. Answers where each locked stream
   * stands, so the executor locks none of them again, and (`withLinks`) the
   * links among them as the last reading, after the locks, found them.
   */
  private async family(
    from: readonly string[],
    withLinks: boolean,
    tx: EntityManager,
  ): Promise<{ codes: string[]; locked: Map<string, LockedStream>; links: readonly { parent: string; child: string }[] | null }> {
    const locked = new Map<string, LockedStream>();
    if (from.length === 0) return { codes: [], locked, links: withLinks ? [] : null };
    const codes = new Set(await this.genealogy.descendants(from, tx));
    for (let lock = [...codes]; ; ) {
      for (const [id, stream] of await this.store.lockStreams(lock.sort().map(lotStreamId), tx)) locked.set(id, stream);
      const again = withLinks ? await this.genealogy.descendantsAndLinks(from, tx) : { codes: await this.genealogy.descendants(from, tx), links: null };
      lock = again.codes.filter((c) => !codes.has(c));
      if (lock.length === 0) return { codes: [...codes], locked, links: again.links };
      for (const c of lock) codes.add(c);
    }
  }

  /**
   * Every descendant of the lot (not the lot itself), in the family's order,
   * and the parent it came through (null: every one of its parents descends
   * from the lot). `family` holds the lot and its descendants, or its whole
   * batch (the lot's part is then found through the links among them); no
   * links (null) when it is the lot's own and no parents are asked for.
   */
  private descendants(
    traceCode: string,
    withParents: boolean,
    family: readonly string[],
    links: readonly { parent: string; child: string }[] | null,
  ): FamilyReads['descendants'] {
    if (links === null) return family.filter((c) => c !== traceCode).map((c) => ({ traceCode: c, viaParent: null }));
    // Grouped once: a recall reaches 10,000 lots, and a scan of the links per lot was quadratic.
    const childrenOf = new Map<string, string[]>();
    for (const l of links) {
      const children = childrenOf.get(l.parent);
      if (children) children.push(l.child);
      else childrenOf.set(l.parent, [l.child]);
    }
    const mine = new Set<string>([traceCode]);
    for (const queue = [traceCode]; queue.length > 0; ) {
      for (const c of childrenOf.get(queue.pop()!) ?? []) {
        if (mine.has(c)) continue;
        mine.add(c);
        queue.push(c);
      }
    }
    const codes = family.filter((c) => c !== traceCode && mine.has(c));
    if (!withParents) return codes.map((c) => ({ traceCode: c, viaParent: null }));
    // Only parents within the lot's own part count: a merge's other parent lies outside it.
    const parentsOf = new Map<string, string[]>();
    for (const l of links) {
      if (!mine.has(l.parent)) continue;
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
