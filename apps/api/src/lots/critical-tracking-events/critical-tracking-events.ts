import { subtractQuantity } from '@app/domain';

/**
 * The critical tracking events (CTEs) of FDA FSMA 204, as Coldtrace records
 * them: what a recall spreadsheet lists, one per event. Registration is the
 * lot's receiving at the port of entry (the importer takes the goods in from
 * abroad), so every import lot has a row, a lot recalled at the port too.
 * Storing, sampling, documents, locks and recalls are not CTEs (they move no
 * goods between hands and make no new lot).
 */
export type CteKind = 'RECEIVING' | 'SHIPPING' | 'TRANSFORMATION' | 'SALE' | 'DESTRUCTION';

/** The lot event types a CTE comes from, and those that only tell a lot's product and quantity. */
const CTE_OF: Readonly<Record<string, CteKind>> = {
  LotRegistered: 'RECEIVING',
  LotReceived: 'RECEIVING',
  LotDispatched: 'SHIPPING',
  LotSplit: 'TRANSFORMATION',
  LotMerged: 'TRANSFORMATION',
  LotDerived: 'TRANSFORMATION',
  LotSold: 'SALE',
  LotDestroyed: 'DESTRUCTION',
};
/**
 * What the CTE reader fetches of each lot's history: the CTEs (a lot's first
 * event, registration or derivation, also states its product and quantity),
 * and its documents, for the customs declaration of its entry.
 */
export const CTE_SOURCE_TYPES: readonly string[] = [...Object.keys(CTE_OF), 'DocumentAttached'];

/** One row of lot_history, as far as CTEs need it. */
export interface CteSourceEvent {
  readonly traceCode: string;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: Date;
  readonly scanId: string | null;
  readonly data: unknown;
}

export interface CriticalTrackingEvent {
  readonly traceCode: string;
  readonly kind: CteKind;
  /** The Coldtrace event it comes from: on a transformation, LotSplit / LotMerged is the input side, LotDerived the new lot. */
  readonly eventType: string;
  readonly productName: string | null;
  readonly productCategory: string | null;
  /** How much the event concerns: shipped, received, sold, destroyed, taken by a transformation, or made by it. */
  readonly quantity: number | null;
  readonly unit: string | null;
  readonly locationId: string | null;
  /** Receiving: where it came from. */
  readonly previousLocationId: string | null;
  /** Shipping: where it goes. */
  readonly nextLocationId: string | null;
  readonly occurredAt: Date;
  readonly referenceType: 'SCAN' | 'SPLIT' | 'MERGE' | 'CUSTOMS_DECLARATION' | null;
  readonly reference: string | null;
  /** Transformation: the lots that went in, and the lots that came out. */
  readonly sourceLots: readonly string[];
  readonly newLots: readonly string[];
  readonly version: number;
}

type Data = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const portions = (v: unknown): { traceCode: string; quantity: number }[] =>
  Array.isArray(v) ? v.filter((p): p is { traceCode: string; quantity: number } => typeof p?.traceCode === 'string' && typeof p?.quantity === 'number') : [];
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => subtractQuantity(a, -b), 0);

/** The number of the customs declaration attached to the lot itself (the latest, if replaced), or null. */
const customsDeclaration = (history: readonly CteSourceEvent[]): string | null => {
  let number: string | null = null;
  for (const e of history) {
    if (e.type !== 'DocumentAttached') continue;
    const d = (e.data ?? {}) as Data;
    const document = (d.document ?? {}) as Data;
    // One that came down the genealogy is an ancestor's entry, not this lot's.
    if (document.type === 'CUSTOMS_DECLARATION' && (d.source ?? null) === null) number = str(document.number) ?? number;
  }
  return number;
};

/**
 * One lot's CTEs from its history (given in version order, the order the
 * rules saw them): product and unit come from its first event (registration,
 * or derivation by a split or merge); what a receipt or a destruction
 * concerns is what the lot held then, followed along the way. Sorted by when
 * each happened (then as recorded), as a late upload takes its place in time.
 */
export const criticalTrackingEvents = (history: readonly CteSourceEvent[]): CriticalTrackingEvent[] => {
  let productName: string | null = null;
  let productCategory: string | null = null;
  let unit: string | null = null;
  let held: number | null = null;
  const out: CriticalTrackingEvent[] = [];
  for (const e of history) {
    const d = (e.data ?? {}) as Data;
    if (e.type === 'LotRegistered' || e.type === 'LotDerived') {
      const product = (d.product ?? {}) as Data;
      const quantity = (d.quantity ?? {}) as Data;
      productName = str(product.name);
      productCategory = str(product.category);
      unit = str(quantity.unit);
      held = num(quantity.amount);
    }
    const kind = CTE_OF[e.type];
    if (!kind) continue;
    const base = {
      traceCode: e.traceCode,
      kind,
      eventType: e.type,
      productName,
      productCategory,
      unit,
      occurredAt: e.occurredAt,
      version: e.version,
      previousLocationId: null,
      nextLocationId: null,
      referenceType: null,
      reference: null,
      sourceLots: [],
      newLots: [],
    };
    const taken = (q: number | null) => {
      if (held !== null && q !== null) held = subtractQuantity(held, q);
      return q;
    };
    switch (e.type) {
      case 'LotRegistered': {
        const declaration = customsDeclaration(history);
        out.push({
          ...base,
          quantity: held,
          locationId: str(d.portOfEntryId),
          referenceType: declaration === null ? null : 'CUSTOMS_DECLARATION',
          reference: declaration,
        });
        break;
      }
      case 'LotReceived':
        out.push({ ...base, quantity: held, locationId: str(d.facilityId), previousLocationId: str(d.fromFacilityId), referenceType: 'SCAN', reference: e.scanId });
        break;
      case 'LotDispatched':
        out.push({ ...base, quantity: num(d.quantity) ?? held, locationId: str(d.facilityId), nextLocationId: str(d.toFacilityId), referenceType: 'SCAN', reference: e.scanId });
        break;
      case 'LotSold':
        out.push({ ...base, quantity: taken(num(d.quantity)), locationId: str(d.facilityId), referenceType: 'SCAN', reference: e.scanId });
        break;
      case 'LotSplit': {
        const children = portions(d.children);
        out.push({
          ...base,
          quantity: taken(sum(children.map((c) => c.quantity))),
          locationId: str(d.facilityId),
          referenceType: 'SPLIT',
          reference: str(d.splitId),
          sourceLots: [e.traceCode],
          newLots: children.map((c) => c.traceCode),
        });
        break;
      }
      case 'LotMerged':
        out.push({
          ...base,
          quantity: taken(num(d.quantity)),
          locationId: str(d.facilityId),
          referenceType: 'MERGE',
          reference: str(d.mergeId),
          sourceLots: [e.traceCode],
          newLots: [str(d.intoTraceCode)].filter((c): c is string => c !== null),
        });
        break;
      case 'LotDerived':
        out.push({
          ...base,
          quantity: held,
          locationId: str(((d.custody ?? {}) as Data).facilityId),
          referenceType: d.kind === 'MERGE' ? 'MERGE' : 'SPLIT',
          reference: str(d.operationId),
          sourceLots: portions(d.parents).map((p) => p.traceCode),
          newLots: [e.traceCode],
        });
        break;
      case 'LotDestroyed':
        out.push({ ...base, quantity: held, locationId: str(d.holderFacilityId) });
        break;
    }
  }
  return out.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.version - b.version);
};
