import { ApiError } from '../../common/http/api-errors';

/**
 * Events one capture takes: a warehouse system's day, about what the 10 MB
 * body holds of ours. A document of more than EPCIS_CAPTURE_INLINE_EVENTS is
 * captured in the background (a job). GS1's name for it: GS1-EPCIS-Capture-Limit.
 */
export const MAX_CAPTURE_EVENTS = 10_000;
/** The capture route's body limit (app.setup.ts): GS1-EPCIS-Capture-File-Size-Limit. */
export const MAX_CAPTURE_BYTES = 10 * 1024 * 1024;

/** GS1's headers naming the capture limits: on the capture route's OPTIONS answer, its 202 and its 413. */
export const CAPTURE_LIMIT_HEADERS: Readonly<Record<string, string>> = {
  'GS1-EPCIS-Capture-Limit': String(MAX_CAPTURE_EVENTS),
  'GS1-EPCIS-Capture-File-Size-Limit': String(MAX_CAPTURE_BYTES),
};

export const tooManyEvents = (count: number) =>
  new ApiError(
    413,
    'PAYLOAD_TOO_LARGE',
    `a capture takes at most ${MAX_CAPTURE_EVENTS} events; this document has ${count}: send it as several`,
    { maxEvents: MAX_CAPTURE_EVENTS, events: count },
    CAPTURE_LIMIT_HEADERS,
  );

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SPACE = 0x20;

const utf8 = new TextDecoder();

/** Where the string whose opening quote is at `open` closes (its closing quote), or the end of the text. */
const stringEnd = (json: Uint8Array, open: number): number => {
  for (let at = json.indexOf(QUOTE, open + 1); at !== -1; at = json.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (json[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return json.length;
};

/** A key's text, escapes (`"epcis\u0042ody"`) read as JSON.parse reads them. */
const keyText = (json: Uint8Array, open: number, close: number): string => {
  const raw = utf8.decode(json.subarray(open + 1, close));
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
};

/**
 * How many items the `epcisBody.eventList` array of a JSON document holds,
 * read from its UTF-8 bytes without parsing them (null: no such array).
 * JSON.parse turns 300 kB of `{},` into 100,000 objects, and collecting them
 * held the event loop for hundreds of milliseconds; this reads each byte
 * once and allocates nothing but the few keys it reads. As JSON.parse does,
 * the last of repeated keys counts. On malformed JSON the answer means
 * nothing (the parser refuses it next).
 */
export const eventListLength = (json: Uint8Array): number | null => {
  // Only three levels matter: the document (depth 1), its epcisBody (2), the eventList (3).
  let depth = 0;
  let rootIsObject = false;
  let objectAt2 = false;
  let expectKey = false;
  let rootKey = '';
  let bodyKey = '';
  let inBody = false;
  let inList = false;
  let commas = 0;
  let hasItem = false;
  let length: number | null = null;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    // Whitespace (and control bytes, which only malformed JSON has outside strings).
    if (c <= SPACE) continue;
    if (c === COMMA) {
      if (depth === 3 && inList) commas++;
      expectKey = depth === 1 ? rootIsObject : depth === 2 && objectAt2;
      continue;
    }
    if (c === COLON) {
      expectKey = false;
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 3 && inList) {
        length = hasItem ? commas + 1 : 0;
        inList = false;
      } else if (depth === 2) {
        inBody = false;
      }
      depth--;
      expectKey = false;
      continue;
    }
    if (c === QUOTE && expectKey) {
      const close = stringEnd(json, i);
      if (depth === 1) rootKey = keyText(json, i, close);
      else if (depth === 2 && inBody) bodyKey = keyText(json, i, close);
      expectKey = false;
      i = close;
      continue;
    }
    // A value starts here (or a number or literal goes on): a later epcisBody or eventList replaces the one before.
    let opensBody = false;
    let opensList = false;
    if (depth === 3) {
      if (inList) hasItem = true;
    } else if (depth === 1) {
      if (rootIsObject && rootKey === 'epcisBody') {
        length = null;
        opensBody = c === OPEN_OBJECT;
      }
    } else if (depth === 2 && inBody && bodyKey === 'eventList') {
      length = null;
      opensList = c === OPEN_ARRAY;
    }
    if (c === QUOTE) {
      i = stringEnd(json, i);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth === 1) rootIsObject = c === OPEN_OBJECT;
      else if (depth === 2) objectAt2 = c === OPEN_OBJECT;
      if (opensBody) inBody = true;
      if (opensList) {
        inList = true;
        commas = 0;
        hasItem = false;
      }
      expectKey = c === OPEN_OBJECT;
    }
  }
  return length;
};

/**
 * The capture route's look at the raw body (parseJsonBody): a document
 * of more than MAX_CAPTURE_EVENTS events is refused (413) before it is
 * parsed. Only UTF-8 bodies are read here; refuseTooManyParsedEvents counts
 * again after parsing, whatever the charset.
 */
export const refuseTooManyEvents = (_req: unknown, _res: unknown, body: Buffer, encoding: string): void => {
  if (encoding !== 'utf-8') return;
  const count = eventListLength(body);
  if (count !== null && count > MAX_CAPTURE_EVENTS) throw tooManyEvents(count);
};

/** The same limit on the parsed body (EpcisDocumentPipe): the only count a body in another charset than UTF-8 gets. */
export const refuseTooManyParsedEvents = (body: unknown): void => {
  const list = (body as { epcisBody?: { eventList?: unknown } } | null | undefined)?.epcisBody?.eventList;
  if (Array.isArray(list) && list.length > MAX_CAPTURE_EVENTS) throw tooManyEvents(list.length);
};
