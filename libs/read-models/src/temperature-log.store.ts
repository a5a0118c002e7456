import { DataSource, EntityManager } from 'typeorm';
import { TemperatureReading, TemperatureSample } from '@app/domain';

/**
 * The lot given as $1 and every ancestor, each with the time until which its
 * readings are the lot's (the lot's own: all; an ancestor's: until the lot's
 * line left it, the earliest split or merge on the way).
 */
const LINE = `WITH RECURSIVE line(trace_code, until) AS (
  SELECT $1::text, 'infinity'::timestamptz
  UNION
  SELECT l.parent_trace_code, LEAST(l.occurred_at, u.until) FROM lot_links l JOIN line u ON l.child_trace_code = u.trace_code
), cut AS (SELECT trace_code, max(until) AS until FROM line GROUP BY trace_code)`;

/** A new upload's readings, as the command decided them. */
export interface TemperatureUpload {
  readonly uploadId: string;
  readonly traceCode: string;
  readonly deviceId: string;
  readonly facilityId: string | null;
  readonly readings: readonly TemperatureReading[];
}

/** An upload's readings as stored: when and how cold, in time order. */
export type UploadReadings = readonly { readonly at: string; readonly celsius: number }[];

/**
 * A lot's temperature log (`temperature_uploads`): the command side writes
 * an upload in its transaction and reads the log there to judge it; the
 * read side reads it (its part through ancestors included) for the series.
 */
export class TemperatureLogStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The lot's whole log: its own readings and its ancestors' up to its making, in no particular order (`samples`, times as ISO text). */
  async log(traceCode: string, manager: EntityManager = this.dataSource.manager): Promise<TemperatureReading[]> {
    return (await this.samples(traceCode, manager)).map((r) => ({ deviceId: r.deviceId, at: new Date(r.t).toISOString(), celsius: r.celsius }));
  }

  /**
   * The lot's whole log, in columns: times as epoch
   * milliseconds (converted by the database: no Date per reading), for the
   * series a page draws. Unordered.
   */
  async samples(traceCode: string, manager: EntityManager = this.dataSource.manager): Promise<TemperatureSample[]> {
    // As text, not arrays: the driver's array parsing cost more than the rest of a 10,000-reading series.
    const rows: { device_id: string; t: string; c: string; until: number | string }[] = await manager.query(
      `${LINE} SELECT u.device_id, array_to_string(ARRAY(SELECT date_part('epoch', x) FROM unnest(u.at) x), ',') AS t,
                      array_to_string(u.celsius, ',') AS c, date_part('epoch', c.until) AS until
               FROM cut c JOIN temperature_uploads u ON u.trace_code = c.trace_code`,
      [traceCode],
    );
    const samples: TemperatureSample[] = [];
    for (const r of rows) {
      // Rounded like the readings' times (date_part's float is not exact): a reading at the split itself stays the child's.
      const until = Math.round(Number(r.until) * 1000);
      const t = r.t.split(',');
      const c = r.c.split(',');
      for (let i = 0; i < t.length; i++) {
        const ms = Math.round(Number(t[i]) * 1000);
        if (ms <= until) samples.push({ deviceId: r.device_id, t: ms, celsius: Number(c[i]) });
      }
    }
    return samples;
  }

  /**
   * The readings of these uploads (the EPCIS export writes each upload's
   * event with them), by upload id, in one query however many there are;
   * an id with no row is absent.
   */
  async readingsOf(uploadIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, UploadReadings>> {
    if (uploadIds.length === 0) return new Map();
    const rows: { upload_id: string; at: Date[]; celsius: number[] }[] = await manager.query(
      `SELECT upload_id, at, celsius FROM temperature_uploads WHERE upload_id = ANY($1::uuid[])`,
      [[...new Set(uploadIds)]],
    );
    return new Map(
      rows.map((r) => {
        const readings = r.at.map((at, i) => ({ at: at.toISOString(), celsius: Number(r.celsius[i]) }));
        readings.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        return [r.upload_id, readings];
      }),
    );
  }

  /** Writes new uploads, in the transaction that appends their events. */
  async write(uploads: readonly TemperatureUpload[], manager: EntityManager): Promise<void> {
    for (const u of uploads) {
      if (u.readings.length === 0) continue;
      await manager.query(
        `INSERT INTO temperature_uploads (upload_id, trace_code, device_id, facility_id, at, celsius) VALUES ($1, $2, $3, $4, $5::timestamptz[], $6::real[])`,
        // Array literals written here: normalised times and numbers need no quoting, and the driver's quoting of each element cost more than the rest of the write.
        [u.uploadId, u.traceCode, u.deviceId, u.facilityId, `{${u.readings.map((r) => r.at).join(',')}}`, `{${u.readings.map((r) => r.celsius).join(',')}}`],
      );
    }
  }
}
