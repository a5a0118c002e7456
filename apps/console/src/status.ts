import { h } from './dom.js';
import { codeText, language, t } from './i18n.js';
import type { Reason } from './types.js';

/**
 * How each status is shown. Colour is never the only carrier: every badge
 * says the status in words with its own symbol, and every graph node has the
 * status in its label and a shape of its own (see the legend).
 */
interface Look {
  readonly symbol: string;
  /** Fill of the graph node and the badge's border (badge text stays dark on light for contrast). */
  readonly colour: string;
  readonly shape: 'ellipse' | 'rectangle' | 'round-rectangle' | 'diamond' | 'octagon' | 'triangle' | 'hexagon';
}

const LOOKS: Record<string, Look> = {
  HELD: { symbol: '●', colour: '#2e7d32', shape: 'ellipse' },
  IN_TRANSIT: { symbol: '➜', colour: '#1565c0', shape: 'rectangle' },
  SOLD_OUT: { symbol: '○', colour: '#616161', shape: 'round-rectangle' },
  LOCKED: { symbol: '■', colour: '#e65100', shape: 'diamond' },
  RECALLED: { symbol: '▲', colour: '#c62828', shape: 'octagon' },
  DESTROYED: { symbol: '✕', colour: '#212121', shape: 'triangle' },
};

const UNKNOWN: Look = { symbol: '?', colour: '#616161', shape: 'hexagon' };

export const lookOf = (status: string | null | undefined): Look => (status ? (LOOKS[status] ?? UNKNOWN) : UNKNOWN);

/** A lot status in words, in the page's language. */
export const statusText = (status: string | null | undefined): string => (status ? codeText('status', status) : t('status.unknown'));

/** A status badge: where the lot is and what was done to it; symbol (hidden from screen readers) and the status in words. */
export const badge = (status: string | null | undefined): HTMLElement =>
  h(
    'span',
    { class: `badge status-${(status ?? 'unknown').toLowerCase().replace(/_/g, '-')}`, 'data-status': status ?? '' },
    h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, lookOf(status).symbol),
    ' ',
    statusText(status),
  );

/** A blocking reason in words (the API's `code` translated; its English `message` on hover). */
export const reasonText = (reason: Reason): string => codeText('reason', reason.code);

/**
 * The eligibility verdict, one badge: may this lot be sold, and if not, why
 * (every reason, in words). Separate from the status badge, which says where
 * the lot is: a held lot may still be unsellable.
 */
export const verdictBadge = (allowed: boolean, reasons: Reason[]): HTMLElement =>
  h(
    'span',
    { class: `badge verdict-${allowed ? 'allowed' : 'blocked'}`, 'data-allowed': String(allowed), 'data-reasons': reasons.map((r) => r.code).join(' ') },
    h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, allowed ? '✓' : '⊘'),
    ' ',
    allowed ? t('verdict.allowed') : reasons.length ? t('verdict.blockedBecause', { reasons: reasons.map(reasonText).join(language() === 'en' ? '; ' : '；') }) : t('verdict.blocked'),
  );

/** The lot statuses, in the order the legend shows them. */
export const LOT_STATUSES = ['HELD', 'IN_TRANSIT', 'SOLD_OUT', 'LOCKED', 'RECALLED', 'DESTROYED'] as const;
