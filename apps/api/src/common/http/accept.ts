/** One Accept entry: `type/subtype;q=…`. */
interface Accepted {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  readonly order: number;
}

const parseAccept = (header: string): Accepted[] =>
  header.split(',').flatMap((part, order) => {
    const [range, ...params] = part.trim().split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q, order }] : [];
  });

/**
 * The offered media type the caller's Accept header prefers (HTTP content
 * negotiation as Express's `req.accepts` did it: highest q, then the most
 * specific matching entry, then the header's order, then ours), or null when
 * it accepts none. No Accept header accepts anything: the first offered.
 */
export const preferredType = (acceptHeader: string | undefined, offered: readonly string[]): string | null => {
  const accepted = parseAccept(acceptHeader ?? '*/*');
  const ranked = offered.flatMap((media, index) => {
    const [type, subtype] = media.split('/');
    const matches = accepted
      .filter((a) => (a.type === '*' || a.type === type) && (a.subtype === '*' || a.subtype === subtype))
      .map((a) => ({ q: a.q, specificity: (a.type === type ? 4 : 0) + (a.subtype === subtype ? 2 : 0), order: a.order }))
      .sort((a, b) => b.specificity - a.specificity || b.q - a.q || a.order - b.order);
    return matches.length > 0 && matches[0].q > 0 ? [{ media, index, ...matches[0] }] : [];
  });
  ranked.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.order - b.order || a.index - b.index);
  return ranked[0]?.media ?? null;
};
