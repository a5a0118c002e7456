import { h } from './dom.js';

/**
 * How each status is shown. Colour is never the only carrier: every badge
 * says the status in words with its own symbol, and every graph node has the
 * status in its label and a shape of its own (see the legend).
 */
interface Look {
  readonly label: string;
  readonly symbol: string;
  /** Fill of the graph node and the badge's border (badge text stays dark on light for contrast). */
  readonly colour: string;
  readonly shape: 'ellipse' | 'rectangle' | 'round-rectangle' | 'diamond' | 'octagon' | 'triangle' | 'hexagon';
  readonly shapeName: string;
}

const LOOKS: Record<string, Look> = {
  HELD: { label: 'Held', symbol: '●', colour: '#2e7d32', shape: 'ellipse', shapeName: 'circle' },
  IN_TRANSIT: { label: 'In transit', symbol: '➜', colour: '#1565c0', shape: 'rectangle', shapeName: 'square' },
  SOLD_OUT: { label: 'Sold out', symbol: '○', colour: '#616161', shape: 'round-rectangle', shapeName: 'rounded box' },
  LOCKED: { label: 'Locked', symbol: '■', colour: '#e65100', shape: 'diamond', shapeName: 'diamond' },
  RECALLED: { label: 'Recalled', symbol: '▲', colour: '#c62828', shape: 'octagon', shapeName: 'octagon' },
  DESTROYED: { label: 'Destroyed', symbol: '✕', colour: '#212121', shape: 'triangle', shapeName: 'triangle' },
  // The regulator's list speaks of sale status.
  ALLOWED: { label: 'Allowed', symbol: '✓', colour: '#2e7d32', shape: 'ellipse', shapeName: 'circle' },
  BLOCKED: { label: 'Blocked', symbol: '⊘', colour: '#ad1457', shape: 'hexagon', shapeName: 'hexagon' },
};

const UNKNOWN: Look = { label: 'Unknown', symbol: '?', colour: '#616161', shape: 'hexagon', shapeName: 'hexagon' };

export const lookOf = (status: string | null | undefined): Look => (status ? (LOOKS[status] ?? { ...UNKNOWN, label: status }) : UNKNOWN);

/** A status badge: symbol (hidden from screen readers) and the status in words. */
export const badge = (status: string | null | undefined): HTMLElement => {
  const look = lookOf(status);
  return h(
    'span',
    { class: `badge status-${(status ?? 'unknown').toLowerCase().replace(/_/g, '-')}`, 'data-status': status ?? '' },
    h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, look.symbol),
    ' ',
    status ?? 'UNKNOWN',
  );
};

/** The lot statuses, in the order the legend shows them. */
export const LOT_STATUSES = ['HELD', 'IN_TRANSIT', 'SOLD_OUT', 'LOCKED', 'RECALLED', 'DESTROYED'] as const;
