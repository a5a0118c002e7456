import { lotClassUrn } from '../../epcis/epcis-identifiers';
import { shopperPageUrl } from '../pages/shopper-page/shopper-page.url';

/** GS1's Web vocabulary: link types are its terms, written in full in a linkset, `gs1:` in a query. */
export const GS1_VOC = 'https://gs1.org/voc/';

/** The link types this resolver answers for a lot, in the order a linkset lists them. */
export const LINK_TYPES = ['defaultLink', 'pip', 'epcis', 'certificationInfo', 'recallStatus'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** One target link (RFC 9264 §4.2.2 target attributes: hreflang is a list). */
export interface TargetLink {
  readonly href: string;
  readonly type: string;
  readonly title: string;
  readonly hreflang?: readonly string[];
}

/** RFC 9264's JSON linkset: one link context object, its relations keyed by their URIs. */
export interface Linkset {
  readonly linkset: readonly [{ readonly anchor: string } & Readonly<Record<string, string | readonly TargetLink[]>>];
}

/** What a lot's links are made of; `recalled` is what the shopper's view says (its status RECALLED), nothing more. */
export interface LotLinks {
  readonly publicBaseUrl: string;
  /** The Digital Link asked about, canonical: `<base>/01/<GTIN-14>/10/<traceCode>`. */
  readonly anchor: string;
  readonly traceCode: string;
  readonly recalled: boolean;
}

const epcisQuery = (base: string, traceCode: string, extra = ''): string => `${base}/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lotClassUrn(traceCode))}${extra}`;

/**
 * Each link of a lot. The shopper's page and view are public; the EPCIS
 * links name API routes that need a key: a link tells where data lives, it
 * is not the data.
 */
export const lotLinks = (l: LotLinks): Readonly<Record<LinkType, TargetLink>> => {
  const page: TargetLink = {
    href: shopperPageUrl(l.publicBaseUrl, l.traceCode),
    type: 'text/html',
    title: "Shopper's page: what it is, where it came from, whether it may be sold",
    hreflang: ['en', 'zh'],
  };
  return {
    defaultLink: page,
    pip: page,
    epcis: { href: epcisQuery(l.publicBaseUrl, l.traceCode), type: 'application/ld+json', title: "The lot's EPCIS 2.0 events (an API key that may read the lot)" },
    certificationInfo: {
      href: epcisQuery(l.publicBaseUrl, l.traceCode, '&EQ_bizStep=inspecting'),
      type: 'application/ld+json',
      title: "The lot's customs declaration and certificates, as EPCIS inspecting events (an API key that may read the lot)",
    },
    recallStatus: {
      href: `${l.publicBaseUrl}/api/public/lots/${encodeURIComponent(l.traceCode)}`,
      type: 'application/json',
      title: l.recalled ? 'Recalled: do not eat; take it back to the store' : 'Not recalled',
    },
  };
};

/** The RFC 9264 linkset of a lot, every link type under its full GS1 URI. */
export const lotLinkset = (l: LotLinks): Linkset => {
  const links = lotLinks(l);
  return { linkset: [{ anchor: l.anchor, ...Object.fromEntries(LINK_TYPES.map((type) => [`${GS1_VOC}${type}`, [links[type]]])) }] };
};

/**
 * The link type a `linkType` query names: `gs1:pip` or `https://gs1.org/voc/pip`;
 * `linkset` (or `all`) for the whole linkset; null for a type this resolver has not.
 */
export const requestedLinkType = (raw: string): LinkType | 'linkset' | null => {
  if (raw === 'linkset' || raw === 'all') return 'linkset';
  const term = raw.startsWith('gs1:') ? raw.slice(4) : raw.startsWith(GS1_VOC) ? raw.slice(GS1_VOC.length) : null;
  return term !== null && (LINK_TYPES as readonly string[]).includes(term) ? (term as LinkType) : null;
};
