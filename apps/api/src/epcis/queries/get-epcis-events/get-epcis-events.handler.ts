import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LotEventType, lotStreamId, maySeeLot, traceCodeOfStream } from '@app/domain';
import { TemperatureLogStore } from '@app/read-models';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { encodeCursor } from '../../../common/queries/page';
import { EpcisEventReader, EventKey, LotEventRow } from '../../epcis-event.reader';
import { lotsNamedIn, withDigitalLinkClasses } from '../../epcis-digital-link';
import { epcisEventMatcher } from '../../epcis-filters';
import { EPCIS_TYPES_OF, EpcisEvent, toEpcisEvents } from '../../epcis-mapping';
import { epcisQueryDocument } from '../../epcis-query-document';
import { EpcisEventsPage, GetEpcisEventsQuery } from './get-epcis-events.query';

/** Events read from the store per round trip. */
const CHUNK = 500;
/**
 * The most stored events one page reads. Filters applied after mapping
 * (bizStep, location, an operator's scope) may leave a page short or empty;
 * its token then goes on from where the scan stopped, so no request reads
 * the whole log.
 */
const SCAN_LIMIT = 5_000;
/**
 * The most temperature readings one page carries (an upload's readings are
 * its event's sensorElementList, up to 10,000 of them): a page of 1000
 * uploads would be a gigabyte. The page ends before the upload that would
 * pass it (never before its first event), its token going on from there.
 */
export const READINGS_PER_PAGE = 50_000;

/** How many readings a stored event brings along (an upload's count; any other event none). */
const readingsIn = (row: LotEventRow): number => (row.type === 'TemperaturesRecorded' ? Number((row.data as { count?: unknown }).count) || 0 : 0);

/** GET /api/epcis/events: lot events as EPCIS 2.0, one page of an EPCISQueryDocument. */
@QueryHandler(GetEpcisEventsQuery)
export class GetEpcisEventsHandler implements IQueryHandler<GetEpcisEventsQuery> {
  constructor(
    @Inject(EpcisEventReader) private readonly reader: EpcisEventReader,
    @Inject(TemperatureLogStore) private readonly temperatures: TemperatureLogStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ filters, viewer, page, digitalLinks }: GetEpcisEventsQuery): Promise<EpcisEventsPage> {
    // Only the stored types that can become a wanted EPCIS type are read at all.
    const types = (Object.entries(EPCIS_TYPES_OF) as [LotEventType, readonly string[]][])
      .filter(([, out]) => out.some((t) => filters.eventTypes.length === 0 || filters.eventTypes.includes(t)))
      .map(([type]) => type);
    // A lot's class is also named by its parents' splits and its children's merges: read those streams too, keep what names it.
    const streamIds =
      filters.traceCodes.length === 0 ? null : [...new Set([...filters.traceCodes, ...(await this.reader.neighbours(filters.traceCodes))])].map(lotStreamId);
    const matches = epcisEventMatcher(filters);

    const found: { key: EventKey; events: EpcisEvent[] }[] = [];
    let after = page.after;
    let scanned = 0;
    let exhausted = types.length === 0 || streamIds?.length === 0;
    let readings = 0;
    let full = false;
    while (!exhausted && !full && found.length <= page.limit && scanned < SCAN_LIMIT) {
      let rows = await this.reader.scan(
        { after, streamIds, types, from: filters.from, before: filters.before, limit: Math.min(CHUNK, SCAN_LIMIT - scanned) },
        lotStreamId(''),
      );
      exhausted = rows.length < Math.min(CHUNK, SCAN_LIMIT - scanned);
      // Cut before the upload that would pass the page's readings (counted as stored, before the filters: at most that many are read).
      for (let i = 0; i < rows.length; i++) {
        readings += readingsIn(rows[i]);
        if (readings > READINGS_PER_PAGE && (i > 0 || found.length > 0)) {
          rows = rows.slice(0, i);
          [exhausted, full] = [false, true];
          break;
        }
      }
      scanned += rows.length;
      for (const { row, events } of await this.exported(rows, viewer)) {
        after = row.key;
        const kept = events.filter(matches);
        if (kept.length > 0) found.push({ key: row.key, events: kept });
        if (found.length > page.limit) break;
      }
    }
    // More than a page found: the next starts after the page's last event; a scan cut short: after the last event read.
    const items = found.slice(0, page.limit);
    const next = found.length > page.limit ? items[items.length - 1].key : exhausted ? null : after;
    let events = items.flatMap((i) => i.events);
    if (digitalLinks) events = withDigitalLinkClasses(events, await this.reader.gtinsOf(lotsNamedIn(events)), this.config.digitalLinkBase);
    return {
      document: epcisQueryDocument(events, new Date()),
      nextPageToken: next === null ? null : encodeCursor(next),
    };
  }

  /** Each row with its EPCIS events, or none when the viewer may not see its lot (the trace routes' rule, `maySeeLot`). */
  private async exported(rows: readonly LotEventRow[], viewer: GetEpcisEventsQuery['viewer']) {
    const streams = [...new Set(rows.map((r) => r.streamId))];
    const [units, facilities] = await Promise.all([this.reader.unitsOf(streams), this.reader.facilityIdsOf(streams.map(traceCodeOfStream))]);
    const visible = rows.filter((row) => units.has(row.streamId) && maySeeLot(viewer, facilities.get(traceCodeOfStream(row.streamId)) ?? []));
    // The uploads' readings, kept beside their events: one query for the chunk.
    const uploads = await this.temperatures.readingsOf(visible.flatMap((r) => (r.type === 'TemperaturesRecorded' ? [(r.data as { uploadId: string }).uploadId] : [])));
    const shown = new Set(visible);
    return rows.map((row) => {
      if (!shown.has(row)) return { row, events: [] };
      const readings = row.type === 'TemperaturesRecorded' ? uploads.get((row.data as { uploadId: string }).uploadId) : undefined;
      const stored = { ...row, traceCode: traceCodeOfStream(row.streamId), unit: units.get(row.streamId)!, ...(readings ? { readings } : {}) };
      return { row, events: toEpcisEvents(stored, { timeZoneOffset: this.config.epcisTimeZoneOffset }) };
    });
  }
}
