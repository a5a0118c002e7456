import { createHash } from 'node:crypto';

/** A reading as the digest sees it: its time (any ISO form of the instant) and its value. */
export interface DigestedReading {
  readonly at: string;
  readonly celsius: number;
}

/**
 * The one definition of an upload's `readingsSha256` (TemperaturesRecorded):
 * SHA-256, lowercase hex, over UTF-8 lines `<at>\t<celsius>\n`, one a
 * reading in the order they are stored (`temperature_uploads`' arrays), `at`
 * as `toISOString()` (UTC, milliseconds) and `celsius` as JavaScript prints
 * the number (`-18.3`; -0 prints `0`). Computed when the upload is decided,
 * re-computed from the stored row by the lot verification and the backup's
 * import: so a reading changed in the table shows, though the event's hash
 * and signature cover only the digest.
 */
export const readingsSha256 = (readings: readonly DigestedReading[]): string => {
  // One update of the whole text: an update per reading cost more than the hash (10,000 a request).
  const lines = readings.map((r) => `${CANONICAL.test(r.at) ? r.at : new Date(Date.parse(r.at)).toISOString()}\t${r.celsius}\n`);
  return createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
};

/** What toISOString() writes: such a time is digested as it is. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
