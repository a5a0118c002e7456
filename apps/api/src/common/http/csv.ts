import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Spreadsheets as RFC 4180 text: every line ends CRLF; a field holding a
 * comma, a double quote, CR or LF is quoted, its quotes doubled. The file
 * starts with a UTF-8 byte order mark: without it Excel reads UTF-8 as the
 * local code page and Chinese facility and product names come out garbled.
 * Text that a spreadsheet would run as a formula is neutralised (csvText).
 */
export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvField = string | number | null;

/** A download: its file name and its text, produced a page at a time as it is sent. */
export interface CsvExport {
  readonly fileName: string;
  readonly chunks: AsyncIterable<string>;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * What makes Excel, LibreOffice or Google Sheets read a cell as a formula
 * (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`, a tab or a CR at its start.
 * A `'` start is listed too: every text starting with `'` then had one added, so
 * a reader that drops one leading `'` gets back exactly what was recorded.
 */
const FORMULA_START = /^[=+\-@\t\r']/;

/**
 * Text as a cell: prefixed with `'` where a spreadsheet would run it as a
 * formula (a facility named `=HYPERLINK(...)` must show, not run). Names come
 * from whoever registered a facility or a lot; the file goes to a regulator.
 */
export const csvText = (s: string): string => (FORMULA_START.test(s) ? `'${s}` : s);

/**
 * One field: null is empty; a number as JavaScript writes it (no exponent for
 * our quantities, and never a formula: a negative number stays a number).
 */
export const csvField = (value: CsvField): string => {
  if (value === null) return '';
  const s = typeof value === 'number' ? String(value) : csvText(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One record, CRLF included. */
export const csvLine = (fields: readonly CsvField[]): string => `${fields.map(csvField).join(',')}\r\n`;

/** Minutes east of UTC of an offset already checked as `+HH:MM` / `-HH:MM` (AppConfig checks the setting at start-up). */
const offsetMinutes = (offset: string): number => (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));

/**
 * An instant as ISO 8601 local time with its offset (`2026-11-21T15:10:00.000+08:00`):
 * readable as the site's wall clock, exact, and of fixed width so sorting the text
 * sorts by time.
 */
export const csvTime = (at: Date, offset: string): string => {
  const local = new Date(at.getTime() + offsetMinutes(offset) * 60_000).toISOString();
  return `${local.slice(0, -1)}${offset}`;
};

/**
 * A spreadsheet read a page of lots at a time (the lots come from a paged
 * query, which decides who sees what): the header, then each page's rows,
 * asking for the next page after the last lot of this one until a page says
 * it is the last. One page's rows are all that is held at once.
 */
export async function* csvPages<P extends { readonly lots: readonly { readonly traceCode: string }[]; readonly nextCursor: string | null }>(
  header: readonly CsvField[],
  first: P,
  rowsOf: (page: P) => Promise<readonly (readonly CsvField[])[]>,
  pageAfter: (lastTraceCode: string) => Promise<P>,
): AsyncGenerator<string> {
  yield csvLine(header);
  for (let page = first; ; ) {
    yield (await rowsOf(page)).map(csvLine).join('');
    if (page.nextCursor === null) return;
    page = await pageAfter(page.lots[page.lots.length - 1].traceCode);
  }
}

/** A file name safe in a quoted Content-Disposition and on every file system. */
export const csvFileName = (...parts: readonly string[]): string => `${parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, '_')).join('-')}.csv`;

/** Resolves when the socket takes more, or is gone (a client that hung up never drains). */
const drained = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });

const log = new Logger('CsvExport');

/**
 * Sends a CSV download: headers, BOM, then the chunks as they come, waiting for
 * the socket to drain between them so a big export holds a chunk in memory,
 * not the file. Errors before the first chunk is asked for (a 404) are the
 * caller's to throw; one after the headers went out can only cut the download
 * short (logged: the client sees a truncated file, never a complete-looking one).
 */
export const sendCsv = async (reply: FastifyReply, fileName: string, chunks: AsyncIterable<string>): Promise<void> => {
  // Written to the Node response as it comes: Fastify leaves this answer to us.
  reply.hijack();
  const res = reply.raw;
  res.statusCode = 200;
  res.setHeader('Content-Type', CSV_CONTENT_TYPE);
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  try {
    res.write(CSV_BOM);
    for await (const chunk of chunks) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drained(res);
    }
    res.end();
  } catch (e) {
    log.error(`CSV export ${fileName} failed after it started: ${e instanceof Error ? e.message : String(e)}`);
    res.destroy(e instanceof Error ? e : new Error(String(e)));
  }
};
