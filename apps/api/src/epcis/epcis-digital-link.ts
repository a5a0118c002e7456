import { digitalLinkPath } from '@app/domain';
import { parseLotClassUrn } from './epcis-identifiers';
import type { EpcisEvent } from './epcis-mapping';

/**
 * EPCIS 2.0's request header for how identifiers are written: with
 * `Always_GS1_Digital_Link` a lot with a GTIN is named by its GS1 Digital
 * Link class (`<base>/01/<gtin>/10/<traceCode>`) instead of our URN; other
 * values, or none, keep the URNs (the lots without a GTIN have no other name).
 */
export const EPC_FORMAT_HEADER = 'GS1-EPC-Format';
export const ALWAYS_DIGITAL_LINK = 'Always_GS1_Digital_Link';

/** Every value of a JSON tree, strings replaced by `f`. */
const mapStrings = (v: unknown, f: (s: string) => string): unknown => {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
};

const strings = (v: unknown): string[] => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
};

/** The trace codes of every lot class the events name (in quantity lists, transformations, an inherited hold's source). */
export const lotsNamedIn = (events: readonly EpcisEvent[]): string[] => [
  ...new Set(strings(events).flatMap((s) => {
    const code = parseLotClassUrn(s);
    return code === null ? [] : [code];
  })),
];

/** The events with each lot class that has a Digital Link written as one; the other lots keep their URN. */
export const withDigitalLinkClasses = (events: readonly EpcisEvent[], gtins: ReadonlyMap<string, string>, base: string): EpcisEvent[] =>
  events.map(
    (e) =>
      mapStrings(e, (s) => {
        const code = parseLotClassUrn(s);
        const path = code === null ? null : digitalLinkPath(gtins.get(code), code);
        return path === null ? s : `${base}${path}`;
      }) as EpcisEvent,
  );
