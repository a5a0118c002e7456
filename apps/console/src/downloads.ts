import { fetchAnswer, lotPath, withQuery } from './api.js';
import { h } from './dom.js';
import { problem } from './flash.js';
import { t } from './i18n.js';
import type { MessageKey } from './messages-en.js';

/**
 * Downloads of the API's files (spreadsheets, the EPCIS export) from the
 * lot and recall pages. A link to the route cannot carry the token (it lives
 * in sessionStorage and never goes in a URL), so each file is fetched with
 * the Authorization header like every call, then handed to the browser as a
 * Blob under the name the server gave it (Content-Disposition).
 */

interface Download {
  blob: Blob;
  name: string;
  /** Said when the file is saved: `downloads.done`, or why it is not everything. */
  said?: string;
}

/** The name in `Content-Disposition: attachment; filename="..."` (or RFC 5987's `filename*=UTF-8''...`). */
const fileNameOf = (disposition: string | null, fallback: string): string => {
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename\s*=\s*"([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
};

/** A file as the API answers it, byte for byte. */
const apiFile = async (path: string, accept: string, fallbackName: string): Promise<Download> => {
  const res = await fetchAnswer(path, accept);
  return { blob: await res.blob(), name: fileNameOf(res.headers.get('content-disposition'), fallbackName) };
};

/** The browser saves the Blob: a click on a hidden `<a download>` to an object URL (a navigation, which the page's CSP does not govern). */
const save = (file: Download): void => {
  const url = URL.createObjectURL(file.blob);
  const a = h('a', { href: url, download: file.name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // The download reads the Blob after this task; revoked a little later, not at once, so it has it.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/** The lot's class as the EPCIS export names it: `urn:coldtrace:lot:<traceCode>`, ':' percent-encoded (docs/epcis.md, EPCIS identifiers; a trace code holds no other character to encode). */
const lotClassUrn = (traceCode: string): string => `urn:coldtrace:lot:${encodeURIComponent(traceCode)}`;

/** The most pages of 1000 events one download reads. */
const EPCIS_MAX_PAGES = 50;

interface EpcisQueryDocument {
  epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } };
}

/** The path of the `Link: <...>; rel="next"` page, on this origin. */
const nextPage = (link: string | null): string | null => {
  const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '');
  if (!next) return null;
  const url = new URL(next[1], location.href);
  return `${url.pathname}${url.search}`;
};

/**
 * Every EPCIS event naming the lot's class (its own, and the splits and
 * merges that made or used it): the export's pages followed through their
 * `Link`, their events in one EPCISQueryDocument (the first page's, so its
 * context and header are the API's).
 */
const epcisFile = async (traceCode: string): Promise<Download> => {
  let path: string | null = withQuery('/api/epcis/events', { MATCH_anyEPCClass: lotClassUrn(traceCode), perPage: 1000 });
  let document: EpcisQueryDocument | null = null;
  for (let pages = 0; path !== null && pages < EPCIS_MAX_PAGES; pages++) {
    const res = await fetchAnswer(path, 'application/ld+json');
    const page = (await res.json()) as EpcisQueryDocument;
    if (document === null) document = page;
    else document.epcisBody.queryResults.resultsBody.eventList.push(...page.epcisBody.queryResults.resultsBody.eventList);
    path = nextPage(res.headers.get('link'));
  }
  const name = `epcis-${traceCode.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonld`;
  const count = document?.epcisBody.queryResults.resultsBody.eventList.length ?? 0;
  return {
    blob: new Blob([JSON.stringify(document, null, 2)], { type: 'application/ld+json' }),
    name,
    said: path === null ? undefined : t('downloads.partial', { file: name, count }),
  };
};

/** A section of download buttons, each fetching its file when pressed and saying what came of it. */
const downloadSection = (id: string, help: MessageKey, files: [label: MessageKey, fetchFile: () => Promise<Download>][]): HTMLElement => {
  const status = h('div', { id: `${id}-status`, 'aria-live': 'polite' });
  const buttons = files.map(([label, fetchFile]) => {
    const button = h('button', { type: 'button', class: 'secondary' }, t(label));
    button.addEventListener('click', () => {
      for (const b of buttons) b.disabled = true;
      status.replaceChildren(h('p', { role: 'status' }, t('downloads.fetching')));
      fetchFile()
        .then((file) => {
          save(file);
          status.replaceChildren(h('p', { role: 'status' }, file.said ?? t('downloads.done', { file: file.name })));
        })
        .catch((e: unknown) => status.replaceChildren(problem(e)))
        .finally(() => {
          for (const b of buttons) b.disabled = false;
        });
    });
    return button;
  });
  return h(
    'section',
    { id, 'aria-labelledby': `${id}-heading` },
    h('h2', { id: `${id}-heading` }, t('downloads.heading')),
    h('p', { class: 'help' }, t(help)),
    h('div', { class: 'actions' }, ...buttons),
    status,
  );
};

const CSV = 'text/csv';

/** The lot page's downloads: its trace forward and backward as spreadsheets, its EPCIS events. */
export const lotDownloads = (traceCode: string, atLeast: string | null): HTMLElement => {
  const trace = (direction: 'forward' | 'backward') => () =>
    apiFile(withQuery(`${lotPath(traceCode)}/trace.csv`, { direction, atLeast }), CSV, `trace-${traceCode}-${direction}.csv`);
  return downloadSection('lot-downloads', 'downloads.lotHelp', [
    ['downloads.traceForward', trace('forward')],
    ['downloads.traceBackward', trace('backward')],
    ['downloads.epcis', () => epcisFile(traceCode)],
  ]);
};

/** The recall page's download: the recall as a spreadsheet. */
export const recallDownloads = (recallId: string, atLeast: string | null): HTMLElement =>
  downloadSection('recall-downloads', 'downloads.recallHelp', [
    ['downloads.recall', () => apiFile(withQuery(`/api/recalls/${encodeURIComponent(recallId)}/export.csv`, { atLeast }), CSV, `recall-${recallId}.csv`)],
  ]);
