import { factsOf, Judgeable } from './eligibility-facts';
import { DocumentType } from './lot.types';
import { currentDocument, documentDefects, REQUIRED_DOCUMENTS, saleEligibility } from './sale-eligibility.policy';

/** The one word a shopper sees; destruction, recall and sell-out outrank the sale rules. */
export const CONSUMER_STATUSES = ['ON_SALE', 'NOT_FOR_SALE', 'RECALLED', 'SOLD_OUT', 'DESTROYED'] as const;
export type ConsumerStatus = (typeof CONSUMER_STATUSES)[number];

export const consumerStatus = (lot: Judgeable, now: Date): ConsumerStatus => {
  const f = factsOf(lot);
  if (f.destroyed) return 'DESTROYED';
  if (f.recalls.length > 0) return 'RECALLED';
  if (f.quantity && f.quantity.remaining <= 0) return 'SOLD_OUT';
  return saleEligibility(f, now).allowed ? 'ON_SALE' : 'NOT_FOR_SALE';
};

/** A certificate as a shopper may see it: no document number, no test details. */
export interface CertificateSummary {
  readonly type: DocumentType;
  /** Every line of papers (one per parent of a repacked lot) has one on file. */
  readonly present: boolean;
  /** Present, not expired and, for a nucleic-acid test, negative, on every line. */
  readonly valid: boolean;
  readonly issuer: string | null;
  readonly issuedAt: string | null;
}

/** The customs declaration and the three certificates, judged at `now` by the same rules as a sale. */
export const certificateSummary = (lot: Judgeable, now: Date): CertificateSummary[] => {
  const lines = factsOf(lot).paperLines;
  return REQUIRED_DOCUMENTS.map((type) => {
    const current = lines.map((line) => currentDocument(line.documents, type));
    const shown = current[0] ?? null;
    return {
      type,
      present: current.every((d) => d !== null),
      valid: current.every((d) => d !== null && documentDefects(d, now).length === 0),
      issuer: shown?.issuer ?? null,
      issuedAt: shown?.issuedAt ?? null,
    };
  });
};
