import { AttachDocument, RecallLot } from './lot.commands';
import { lotDecider } from './lot.decider';
import { LotEvent } from './lot.events';
import { evolveLot, isLocked, LotState } from './lot.state';

export interface DocumentAttachmentInput {
  readonly traceCode: string;
  readonly command: AttachDocument;
  /** The lot, its descendants and, for a POSITIVE result, its whole batch, as they stand. */
  readonly lots: ReadonlyMap<string, LotState>;
  /** Every descendant, transitively, and the parent it descends from this lot through (null: through every one). */
  readonly descendants: readonly { readonly traceCode: string; readonly viaParent: string | null }[];
  /** Every import lot this one descends from and all their descendants: recalled when the result is POSITIVE. */
  readonly batch: readonly string[];
  readonly recallId: string;
}

export interface DocumentAttachmentDecision {
  readonly lots: { readonly traceCode: string; readonly events: LotEvent[] }[];
  /** The lot is locked after the decision (a POSITIVE test locks it at once). */
  readonly locked: boolean;
  /** Set when a POSITIVE result recalled the batch. */
  readonly recall: { readonly recallId: string; readonly lotsRecalled: number } | null;
}

/**
 * A document attached to a lot: judged on the lot itself, then it reaches
 * every descendant without a valid one of that type (each with its own
 * event naming the source lot), and a POSITIVE nucleic-acid result recalls
 * the whole batch: every import lot it descends from and all their
 * descendants, siblings and cousins included. A re-upload decides nothing.
 */
export const decideDocumentAttachment = (input: DocumentAttachmentInput, now: Date): DocumentAttachmentDecision => {
  const { traceCode } = input;
  const target = input.lots.get(traceCode)!;
  const attached = lotDecider.decide(input.command, target, now);
  const locked = isLocked(attached.reduce(evolveLot, target));
  const document = attached.flatMap((e) => (e.type === 'DocumentAttached' ? [e.data.document] : []))[0];
  if (!document) return { lots: [{ traceCode, events: attached }], locked, recall: null };

  const decided = new Map<string, LotEvent[]>([[traceCode, attached]]);
  for (const d of input.descendants) {
    if (d.traceCode === traceCode) continue;
    const source = { traceCode, viaParent: d.viaParent };
    decided.set(d.traceCode, lotDecider.decide({ type: 'ReceiveDocument', data: { document, source } }, input.lots.get(d.traceCode)!, now));
  }
  if (document.result !== 'POSITIVE') return { lots: [...decided].map(([tc, events]) => ({ traceCode: tc, events })), locked, recall: null };

  const recall: RecallLot = {
    type: 'RecallLot',
    data: { recallId: input.recallId, origin: traceCode, reason: `nucleic-acid test ${document.number} of lot ${traceCode} is POSITIVE`, source: 'POSITIVE_TEST' },
  };
  let lotsRecalled = 0;
  for (const tc of new Set([traceCode, ...input.batch])) {
    const soFar = decided.get(tc) ?? [];
    const state = soFar.reduce(evolveLot, input.lots.get(tc)!);
    if (!state.registered) continue;
    const recalled = lotDecider.decide(recall, state, now);
    if (recalled.length > 0) lotsRecalled++;
    decided.set(tc, [...soFar, ...recalled]);
  }
  return { lots: [...decided].map(([tc, events]) => ({ traceCode: tc, events })), locked, recall: { recallId: input.recallId, lotsRecalled } };
};
