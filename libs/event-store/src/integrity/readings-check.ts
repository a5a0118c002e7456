import { EntityManager } from 'typeorm';
import { isLotStreamId, TemperaturesRecorded, traceCodeOfStream } from '@app/domain';
import { ReadingsFailure } from './chain-check';
import { readingsSha256 } from './readings-digest';

/**
 * What a TemperaturesRecorded event says of the upload it records, for the
 * check against the upload's row in `temperature_uploads` (the table's name
 * only: the event store knows no read model).
 */
export interface RecordedUpload {
  readonly uploadId: string;
  readonly traceCode: string;
  readonly deviceId: string;
  readonly count: number;
  readonly readingsSha256: string;
}

/** An upload's row, times as any ISO text of their instant. */
export interface StoredUpload {
  readonly traceCode: string;
  readonly deviceId: string;
  readonly at: readonly string[];
  readonly celsius: readonly number[];
}

/** The upload a lot's TemperaturesRecorded event records; null for any other event, and for one recorded before the digest (nothing to check it with). */
export const recordedUploadOf = (e: { readonly streamId: string; readonly type: string; readonly data: unknown }): RecordedUpload | null => {
  if (e.type !== 'TemperaturesRecorded' || !isLotStreamId(e.streamId)) return null;
  const d = e.data as Partial<TemperaturesRecorded['data']> | null;
  if (typeof d?.readingsSha256 !== 'string') return null;
  return { uploadId: String(d.uploadId), traceCode: traceCodeOfStream(e.streamId), deviceId: String(d.deviceId), count: Number(d.count), readingsSha256: d.readingsSha256 };
};

/** Whether the row holds what the event recorded: present, of its lot and device, as many readings, hashing to its digest. */
export const uploadFailure = (recorded: RecordedUpload, row: StoredUpload | undefined): ReadingsFailure | null => {
  if (!row) return 'READINGS_MISSING';
  if (row.traceCode !== recorded.traceCode || row.deviceId !== recorded.deviceId || row.at.length !== recorded.count || row.celsius.length !== row.at.length) return 'READINGS_MISMATCH';
  const digest = readingsSha256(row.at.map((at, i) => ({ at, celsius: row.celsius[i] })));
  return digest === recorded.readingsSha256 ? null : 'READINGS_MISMATCH';
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Readings read per statement (by the events' counts): a batch of uploads of 10,000 readings each never sits in memory at once. */
const READINGS_PER_READ = 50_000;

/**
 * Each recorded upload checked against its row, read in `manager`'s
 * snapshot a group at a time: the failure at each index (null: it holds).
 */
export const checkRecordedUploads = async (manager: EntityManager, recorded: readonly RecordedUpload[]): Promise<(ReadingsFailure | null)[]> => {
  const failures: (ReadingsFailure | null)[] = [];
  for (let from = 0; from < recorded.length; ) {
    let to = from;
    for (let readings = 0; to < recorded.length && (to === from || readings + recorded[to].count <= READINGS_PER_READ); to++) readings += recorded[to].count;
    const group = recorded.slice(from, to);
    // An id that is no uuid (an edited event) names no row; not cast, which would abort the snapshot's transaction.
    const ids = group.map((r) => r.uploadId).filter((id) => UUID.test(id));
    const rows: { upload_id: string; trace_code: string; device_id: string; at: Date[]; celsius: number[] }[] = ids.length
      ? await manager.query(`SELECT upload_id::text AS upload_id, trace_code, device_id, at, celsius FROM temperature_uploads WHERE upload_id = ANY($1::uuid[])`, [ids])
      : [];
    const byId = new Map(rows.map((r) => [r.upload_id, { traceCode: r.trace_code, deviceId: r.device_id, at: r.at.map((d) => d.toISOString()), celsius: r.celsius.map(Number) }]));
    for (const r of group) failures.push(uploadFailure(r, byId.get(r.uploadId.toLowerCase())));
    from = to;
  }
  return failures;
};

/**
 * The rows of these streams' lots whose upload no event of the lot records
 * (`recorded`: the upload ids its TemperaturesRecorded events name, lower
 * case): readings inserted beside the record.
 */
export const unrecordedUploads = async (
  manager: EntityManager,
  streamIds: readonly string[],
  recorded: (streamId: string) => ReadonlySet<string>,
): Promise<{ streamId: string; uploadId: string }[]> => {
  const lots = streamIds.filter(isLotStreamId);
  if (lots.length === 0) return [];
  const byLot = new Map(lots.map((id) => [traceCodeOfStream(id), id]));
  const rows: { trace_code: string; upload_id: string }[] = await manager.query(
    `SELECT trace_code, upload_id::text AS upload_id FROM temperature_uploads WHERE trace_code = ANY($1) ORDER BY upload_id`,
    [[...byLot.keys()]],
  );
  return rows.flatMap((r) => {
    const streamId = byLot.get(r.trace_code)!;
    return recorded(streamId).has(r.upload_id) ? [] : [{ streamId, uploadId: r.upload_id }];
  });
};
