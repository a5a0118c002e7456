import { h, hashLink } from './dom.js';
import { badge, lookOf, LOT_STATUSES, statusText } from './status.js';
import { facilityText } from './facilities.js';
import { codeText, t, tn } from './i18n.js';
import type { TraceLink, TraceLot } from './types.js';

declare global {
  interface Window {
    /** The graph on screen (cytoscape's instance), for whoever needs to read it: tests count its nodes. */
    coldtraceGraph?: cytoscape.Core;
  }
}

export interface Genealogy {
  readonly lots: TraceLot[];
  readonly links: TraceLink[];
  /** Lots the trace did not show (an operator's scope; a regulator sees all). */
  readonly hiddenLots: number;
  /** False when a page limit cut the trace short. */
  readonly complete: boolean;
}

/** The backward and forward traces of one lot merged: each lot once, each link once. */
export const mergeTraces = (traces: { lots: TraceLot[]; links: TraceLink[]; hiddenLots: number }[], complete: boolean): Genealogy => {
  const lots = new Map<string, TraceLot>();
  const links = new Map<string, TraceLink>();
  for (const t of traces) {
    for (const lot of t.lots) lots.set(lot.traceCode, lot);
    for (const link of t.links) links.set(`${link.operationId}|${link.parent}|${link.child}`, link);
  }
  return {
    lots: [...lots.values()].sort((a, b) => a.traceCode.localeCompare(b.traceCode)),
    links: [...links.values()].filter((l) => lots.has(l.parent) && lots.has(l.child)),
    hiddenLots: Math.max(0, ...traces.map((t) => t.hiddenLots)),
    complete,
  };
};

const relation = (g: Genealogy, focus: string, code: string): string => {
  if (code === focus) return t('genealogy.thisLot');
  const kind = (l: TraceLink) => codeText('linkKind', l.kind);
  const parentOf = g.links.filter((l) => l.parent === code).map((l) => `${l.child} (${kind(l)})`);
  const childOf = g.links.filter((l) => l.child === code).map((l) => `${l.parent} (${kind(l)})`);
  return [childOf.length ? t('genealogy.from', { lots: childOf.join(', ') }) : '', parentOf.length ? t('genealogy.into', { lots: parentOf.join(', ') }) : ''].filter(Boolean).join('; ');
};

const legend = (): HTMLElement =>
  h(
    'ul',
    { class: 'legend', 'aria-label': t('genealogy.legend') },
    ...LOT_STATUSES.map((s) => {
      const look = lookOf(s);
      return h('li', {}, h('span', { class: `swatch shape-${look.shape}`, 'aria-hidden': 'true' }), `${t(`shape.${look.shape}`)}: `, badge(s));
    }),
    h('li', {}, h('span', { class: 'swatch focus-swatch', 'aria-hidden': 'true' }), t('genealogy.legendFocus')),
  );

/**
 * The section: the graph (cytoscape, on a canvas), its legend, and beside it
 * the same lots as a list of links (what a screen reader or keyboard uses;
 * colour and shape are never the only carriers, the status is written out).
 * `mount` draws the graph once the section is in the document.
 */
export const genealogySection = (g: Genealogy, focus: string): { section: HTMLElement; mount: () => void } => {
  const container = h('div', {
    id: 'genealogy-graph',
    class: 'graph',
    role: 'img',
    'aria-label': t('genealogy.graphLabel', { count: g.lots.length }),
    'data-node-count': g.lots.length,
  });
  const list = h(
    'ol',
    { class: 'genealogy-list', id: 'genealogy-list', 'aria-label': t('genealogy.listLabel') },
    ...g.lots.map((lot) =>
      h(
        'li',
        { 'data-trace-code': lot.traceCode, class: lot.traceCode === focus ? 'focus' : null },
        lot.traceCode === focus ? h('strong', {}, lot.traceCode) : hashLink(`#/lots/${encodeURIComponent(lot.traceCode)}`, lot.traceCode),
        ' ',
        badge(lot.status),
        h('span', { class: 'relation' }, ` ${relation(g, focus, lot.traceCode)}`),
        lot.holder ? h('span', { class: 'muted' }, t('genealogy.at', { facility: facilityText(lot.holder.facilityId) })) : lot.inTransit ? h('span', { class: 'muted' }, t('genealogy.onItsWay', { facility: facilityText(lot.inTransit.toFacilityId) })) : null,
      ),
    ),
  );
  const section = h(
    'section',
    { 'aria-labelledby': 'genealogy-heading' },
    h('h2', { id: 'genealogy-heading' }, tn('genealogy.title', g.lots.length)),
    h('p', { class: 'help' }, t('genealogy.help')),
    g.complete ? null : h('p', { class: 'problem' }, t('genealogy.incomplete')),
    g.hiddenLots > 0 ? h('p', { class: 'muted' }, t('genealogy.hidden', { count: g.hiddenLots })) : null,
    h('div', { class: 'genealogy' }, h('div', { class: 'graph-column' }, container, legend()), list),
  );

  const mount = (): void => {
    const hasParent = new Set(g.links.map((l) => l.child));
    const cy = cytoscape({
      container,
      elements: [
        ...g.lots.map((lot) => {
          const look = lookOf(lot.status);
          return {
            group: 'nodes' as const,
            data: { id: lot.traceCode, label: `${lot.traceCode}\n${statusText(lot.status)}`, colour: look.colour, shape: look.shape },
            classes: lot.traceCode === focus ? 'focus' : '',
          };
        }),
        ...g.links.map((l) => ({ group: 'edges' as const, data: { id: `${l.operationId}|${l.parent}|${l.child}`, source: l.parent, target: l.child, kind: l.kind } })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            shape: 'data(shape)' as cytoscape.Css.NodeShape,
            label: 'data(label)',
            'text-wrap': 'wrap',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'font-size': 11,
            color: '#111',
            'text-background-color': '#fff',
            'text-background-opacity': 0.85,
            'text-background-padding': '2px',
            width: 28,
            height: 28,
            'border-width': 1,
            'border-color': '#333',
          },
        },
        { selector: 'node.focus', style: { 'border-width': 5, 'border-color': '#000', width: 40, height: 40, 'font-weight': 'bold' } },
        {
          selector: 'edge',
          // The kind of link (split, merge) is in the list beside the graph; a label here would sit on the node labels.
          style: { width: 2, 'line-color': '#555', 'target-arrow-color': '#555', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier' },
        },
      ],
      layout: { name: 'breadthfirst', directed: true, roots: g.lots.filter((l) => !hasParent.has(l.traceCode)).map((l) => l.traceCode), spacingFactor: 1.1, padding: 24 },
      userZoomingEnabled: true,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    cy.on('tap', 'node', (event) => {
      const code = event.target.id() as string;
      if (code !== focus) location.hash = `#/lots/${encodeURIComponent(code)}`;
    });
    // A narrower window (a phone turned, a tablet) keeps the whole genealogy in view.
    cy.on('resize', () => cy.fit(undefined, 24));
    cy.on('mouseover', 'node', () => container.classList.add('pointing'));
    cy.on('mouseout', 'node', () => container.classList.remove('pointing'));
    window.coldtraceGraph = cy;
  };
  return { section, mount };
};
