import { createHash } from 'node:crypto';
import { chainHashes, GENESIS_HASH, HashedEvent } from '../integrity/event-hash';
import { LogDigest } from '../integrity/log-digest';
import { readingsSha256 } from '../integrity/readings-digest';
import {
  BackupFileError,
  BackupVerifier,
  EventRow,
  eventLine,
  headerLine,
  IdempotencyRow,
  idempotencyLine,
  linesOf,
  parseBackupLine,
  StreamRow,
  streamLine,
  TemperatureUploadRow,
  temperatureUploadLine,
  trailerLine,
} from './event-backup.format';

// ------------------------------------------------------------ frozen inputs

/** Two lot streams and a facility, as the exporter selects them (JSON columns as the server prints them). */
const STREAMS: { id: string; type: string; events: Omit<HashedEvent, 'streamId' | 'version'>[] }[] = [
  {
    id: 'facility-CW-01',
    type: 'facility',
    events: [{ type: 'FacilityRegistered', schemaVersion: 1, data: { id: 'CW-01', type: 'CENTRAL_WAREHOUSE' }, metadata: { actor: 'admin' }, occurredAt: '2026-11-20T07:00:00.000Z' }],
  },
  {
    id: 'lot-BEEF-1',
    type: 'lot',
    events: [
      { type: 'LotRegistered', schemaVersion: 1, data: { traceCode: 'BEEF-1', quantity: { amount: 1200, unit: 'KG' } }, metadata: { actor: 'port' }, occurredAt: '2026-11-20T08:00:00.000Z' },
      { type: 'LotScanned', schemaVersion: 1, data: { action: 'SAMPLE', note: '总仓 "quoted"\n' }, metadata: { actor: 'cw' }, occurredAt: '2026-11-20T09:00:00.000Z' },
    ],
  },
  {
    id: 'lot-BEEF-1-A',
    type: 'lot',
    events: [{ type: 'LotDerived', schemaVersion: 2, data: { parents: ['BEEF-1'] }, metadata: {}, occurredAt: '2026-11-20T10:00:00.000Z' }],
  },
];

const hashesOf = (s: (typeof STREAMS)[number]) => chainHashes(GENESIS_HASH, s.events.map((e, i) => ({ ...e, streamId: s.id, version: i + 1 })));

const streamRows: StreamRow[] = STREAMS.map((s) => ({
  stream_id: s.id,
  stream_type: s.type,
  version: s.events.length,
  head_hash: hashesOf(s)[s.events.length - 1],
  created_at: '2026-11-20T07:00:00.123456Z',
  updated_at: '2026-11-20T10:00:00.654321Z',
}));

/** Interleaved across streams by position, as a real log is: facility, lot, child, lot. */
const eventRows: EventRow[] = (() => {
  const at = (streamIndex: number, version: number, position: number): EventRow => {
    const s = STREAMS[streamIndex];
    const e = s.events[version - 1];
    return {
      global_position: String(position),
      transaction_id: String(700 + position),
      event_id: `00000000-0000-4000-8000-00000000000${position}`,
      stream_id: s.id,
      stream_version: version,
      type: e.type,
      schema_version: e.schemaVersion,
      data: JSON.stringify(e.data),
      metadata: JSON.stringify(e.metadata),
      occurred_at: e.occurredAt as string,
      recorded_at: `2026-11-20T11:00:0${position}.000001Z`,
      hash: hashesOf(s)[version - 1],
      // The last one not signed yet (a source that had not signed its older events when it was exported).
      signing_key_id: position === 5 ? null : '0123456789abcdef',
      signature: position === 5 ? null : String(position).repeat(128),
    };
  };
  return [at(0, 1, 1), at(1, 1, 2), at(2, 1, 4), at(1, 2, 5)];
})();

const keyRows: IdempotencyRow[] = [
  { key: 'lot:S-001', request_hash: 'r1', stream_id: 'lot-BEEF-1', result: '{"position": 5}', created_at: '2026-11-20T09:00:00Z' },
  { key: 'lot:S-002', request_hash: 'r2', stream_id: 'lot-BEEF-1', result: '{"position": 5}', created_at: '2026-11-20T09:00:01Z' },
];

const COUNTS = { streams: 3, events: 4, idempotencyKeys: 2, temperatureUploads: 0 };

/** A whole backup's lines (without newlines), as the exporter writes them. */
const backupLines = (): string[] => {
  const body = [
    headerLine({ exportedAt: '2026-11-21T00:00:00.000Z', counts: COUNTS, headPosition: 5 }),
    ...streamRows.map(streamLine),
    ...eventRows.map(eventLine),
    ...keyRows.map(idempotencyLine),
  ];
  const digest = new LogDigest();
  for (const r of streamRows) digest.add(r.stream_id, r.version, r.head_hash);
  const sha = createHash('sha256').update(body.map((l) => `${l}\n`).join(''), 'utf8').digest('hex');
  return [...body, trailerLine({ counts: COUNTS, logDigest: digest.digest(), sha256: sha })];
};

/** Re-seals the end line over edited lines, as someone covering their tracks would. */
const resealed = (lines: string[]): string[] => {
  const body = lines.slice(0, -1);
  const end = JSON.parse(lines[lines.length - 1]);
  end.sha256 = createHash('sha256').update(body.map((l) => `${l}\n`).join(''), 'utf8').digest('hex');
  return [...body, JSON.stringify(end)];
};

const editLine = (lines: string[], index: number, edit: (record: Record<string, any>) => void): string[] => {
  const copy = [...lines];
  const record = JSON.parse(copy[index]);
  edit(record);
  copy[index] = JSON.stringify(record);
  return copy;
};

/** Feeds every line, then finishes: the summary, or the BackupFileError's message. */
const verify = (lines: string[]) => {
  const v = new BackupVerifier();
  try {
    for (const l of lines) v.next(l);
    return v.finish();
  } catch (e) {
    if (!(e instanceof BackupFileError)) throw e;
    return e.message;
  }
};

async function* chunked(parts: string[]): AsyncGenerator<string> {
  for (const p of parts) yield p;
}

const collect = async (it: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
};

// ------------------------------------------------------------ the format

describe('backup lines', () => {
  it('given an event row, when written, then data and metadata are the server text spliced in and the line is plain JSON', () => {
    const row: EventRow = { ...eventRows[0], data: '{"id": "CW-01", "n": 1.5}', metadata: '{}' };
    expect(eventLine(row)).toBe(
      `{"kind":"event","globalPosition":1,"transactionId":"701","eventId":"00000000-0000-4000-8000-000000000001","streamId":"facility-CW-01",` +
        `"version":1,"type":"FacilityRegistered","schemaVersion":1,"data":{"id": "CW-01", "n": 1.5},"metadata":{},` +
        `"occurredAt":"2026-11-20T07:00:00.000Z","recordedAt":"2026-11-20T11:00:01.000001Z","hash":"${eventRows[0].hash}",` +
        `"signingKeyId":"0123456789abcdef","signature":"${'1'.repeat(128)}"}`,
    );
    expect(parseBackupLine(eventLine(row), 7)).toMatchObject({ kind: 'event', data: { id: 'CW-01', n: 1.5 }, metadata: {}, signingKeyId: '0123456789abcdef' });
    // Not signed yet: both null.
    expect(parseBackupLine(eventLine(eventRows[3]), 8)).toMatchObject({ signingKeyId: null, signature: null });
    // A version 1 line has neither.
    const v1 = editLine([eventLine(row)], 0, (r) => {
      delete r.signingKeyId;
      delete r.signature;
    })[0];
    expect(parseBackupLine(v1, 9)).not.toHaveProperty('signature');
  });

  it('given an idempotency row, when written, then its result is the stored JSON', () => {
    expect(parseBackupLine(idempotencyLine(keyRows[0]), 1)).toEqual({
      kind: 'idempotency',
      key: 'lot:S-001',
      requestHash: 'r1',
      streamId: 'lot-BEEF-1',
      result: { position: 5 },
      createdAt: '2026-11-20T09:00:00Z',
    });
  });

  it('given a line missing a field or of an unknown kind, when parsed, then the refusal names the line and the field', () => {
    const line = editLine([eventLine(eventRows[0])], 0, (r) => delete r.hash)[0];
    expect(() => parseBackupLine(line, 12)).toThrow('line 12: event has a missing or invalid hash: undefined');
    expect(() => parseBackupLine('{"kind":"checkpoint"}', 3)).toThrow('line 3: unknown kind "checkpoint"');
    expect(() => parseBackupLine('{"kind":"toString"}', 3)).toThrow('line 3: unknown kind "toString"');
    expect(() => parseBackupLine('[1,2]', 4)).toThrow('line 4: not a JSON object');
    const short = editLine([eventLine(eventRows[0])], 0, (r) => (r.signature = 'ab'))[0];
    expect(() => parseBackupLine(short, 5)).toThrow('line 5: event has a missing or invalid signature: "ab"');
  });
});

describe('linesOf', () => {
  it('given text cut anywhere into chunks, when split, then it yields the same lines, a last line without newline too', async () => {
    expect(await collect(linesOf(chunked(['a', 'b\ncd', '\n\nef\n'])))).toEqual(['ab', 'cd', '', 'ef']);
    expect(await collect(linesOf(chunked(['one\ntw', 'o'])))).toEqual(['one', 'two']);
    expect(await collect(linesOf(chunked([])))).toEqual([]);
  });
});

// ------------------------------------------------------------ the verifier

describe('BackupVerifier', () => {
  it('given a whole backup, when every line is fed, then it answers the counts, the head position and the log digest', () => {
    const lines = backupLines();
    const digest = JSON.parse(lines[lines.length - 1]).logDigest;
    expect(verify(lines)).toMatchObject({ counts: COUNTS, headPosition: 5, logDigest: digest });
  });

  it('given a backup cut short anywhere, when finished, then it is refused as truncated', () => {
    const lines = backupLines();
    for (let keep = 1; keep < lines.length; keep++) {
      expect(verify(lines.slice(0, keep))).toMatch(/^truncated: no end line after line \d+/);
    }
    expect(verify([])).toBe('empty file: no header');
  });

  it('given an edited event line, when the end line is not resealed, then the SHA-256 names the alteration', () => {
    const lines = editLine(backupLines(), 5, (r) => (r.data.action = 'DISPATCH'));
    expect(verify(lines)).toMatch(/^the lines do not hash to the end line's SHA-256 \([0-9a-f]{64} != [0-9a-f]{64}\): the file was altered$/);
  });

  it('given an edited event line and a resealed end line, when finished, then the hash chain names the stream and version', () => {
    const lines = resealed(editLine(backupLines(), 5, (r) => (r.data.action = 'DISPATCH')));
    expect(verify(lines)).toBe('hash chains do not verify in 1 stream(s): lot-BEEF-1 (first invalid version 1)');
    const late = resealed(editLine(backupLines(), 7, (r) => (r.occurredAt = '2026-11-20T09:30:00.000Z')));
    expect(verify(late)).toBe('hash chains do not verify in 1 stream(s): lot-BEEF-1 (first invalid version 2)');
  });

  it('given a wrong hash on an event, when finished, then its chain fails there', () => {
    const lines = resealed(editLine(backupLines(), 6, (r) => (r.hash = 'f'.repeat(64))));
    expect(verify(lines)).toBe('hash chains do not verify in 1 stream(s): lot-BEEF-1-A (first invalid version 1)');
  });

  it('given an event line left out and the counts and seal made to match, when finished, then the stream row disagrees with its chain', () => {
    const lines = backupLines().filter((_, i) => i !== 7);
    const fixed = resealed(
      editLine(
        editLine(lines, 0, (r) => {
          r.counts.events = 3;
          r.headPosition = 4;
        }),
        lines.length - 1,
        (r) => (r.counts.events = 3),
      ),
    );
    expect(verify(fixed)).toBe('hash chains do not verify in 1 stream(s): lot-BEEF-1 (first invalid version 2)');
  });

  it('given end-line counts that disagree with the lines, when the end line comes, then it names both', () => {
    const lines = resealed(editLine(backupLines(), 10, (r) => (r.counts.idempotencyKeys = 3)));
    expect(verify(lines)).toBe(
      'the end line declares 3 streams, 4 events, 3 idempotency keys, 0 temperature uploads, the file holds 3 streams, 4 events, 2 idempotency keys, 0 temperature uploads',
    );
  });

  it('given a header that declares fewer events than follow, when the extra one comes, then it is refused at that line', () => {
    const lines = editLine(backupLines(), 0, (r) => (r.counts.events = 2));
    expect(verify(lines)).toBe('line 7: more events than the header declares (2)');
  });

  it('given a log digest that does not match the stream lines, when the end line comes, then it is refused', () => {
    const lines = editLine(backupLines(), 10, (r) => (r.logDigest = '0'.repeat(64)));
    expect(verify(lines)).toMatch(/^the stream heads do not digest to the end line's log digest/);
  });

  it('given lines out of order, when fed, then the line and the rule it breaks are named', () => {
    const lines = backupLines();
    const swap = (i: number, j: number) => {
      const c = [...lines];
      [c[i], c[j]] = [c[j], c[i]];
      return c;
    };
    expect(verify(swap(4, 5))).toBe('line 6: position 1 is not after 2 (repeated or out of order)');
    expect(verify(swap(1, 2))).toBe('line 3: stream facility-CW-01 is not after the previous stream in byte order (repeated or out of order)');
    expect(verify(swap(8, 9))).toBe('line 10: idempotency key lot:S-001 is not after the previous key in byte order (repeated or out of order)');
    expect(verify(swap(3, 4))).toBe('line 5: a stream line after the event lines');
    expect(verify([...lines.slice(0, 1), ...lines.slice(0, 1)])).toBe('line 2: a header line after the header lines');
    expect(verify([...lines, lines[1]])).toBe('line 12: found after the end line');
  });

  it('given a signature without its key id, or a key id alone, when fed, then it is refused', () => {
    expect(verify(resealed(editLine(backupLines(), 4, (r) => (r.signingKeyId = null))))).toBe(
      'line 5: event 00000000-0000-4000-8000-000000000001 has a signature without its signing key id, or a key id without a signature',
    );
    expect(verify(resealed(editLine(backupLines(), 7, (r) => (r.signingKeyId = '0123456789abcdef'))))).toMatch(/^line 8: event .* has a signature without/);
  });

  it('given a version 1 backup (no signatures), when fed, then it is read', () => {
    const v1 = resealed(
      backupLines().map((line, i, all) =>
        i === 0
          ? editLine([line], 0, (r) => (r.version = 1))[0]
          : i === all.length - 1 || JSON.parse(line).kind !== 'event'
            ? line
            : editLine([line], 0, (r) => {
                delete r.signingKeyId;
                delete r.signature;
              })[0],
      ),
    );
    expect(verify(v1)).toMatchObject({ counts: COUNTS, headPosition: 5 });
  });

  it('given an event of a stream with no stream line, when fed, then it is refused', () => {
    const lines = editLine(backupLines(), 4, (r) => (r.streamId = 'lot-GHOST'));
    expect(verify(lines)).toBe('line 5: event 00000000-0000-4000-8000-000000000001 belongs to stream lot-GHOST, which has no stream line');
  });

  it('given something that is not a backup, when its first line is fed, then it says so', () => {
    expect(verify(['hello world'])).toBe('not a coldtrace-event-log backup: line 1: not JSON (hello world)');
    expect(verify(['{"kind":"stream"}'])).toMatch(/^not a coldtrace-event-log backup: line 1: stream has a missing or invalid streamId/);
    expect(verify([backupLines()[1]])).toBe('line 1: not a coldtrace-event-log backup (no header)');
  });

  it('given a header of another format version, when fed, then it names the version this import reads', () => {
    const lines = editLine(backupLines(), 0, (r) => (r.version = 4));
    expect(verify(lines)).toBe('not a coldtrace-event-log backup: line 1: header has a missing or invalid version: 4 (this import reads coldtrace-event-log versions 1, 2 and 3)');
  });

  it('given a version 2 backup (no uploads, none counted), when fed, then it is read; a version 3 header must count them', () => {
    const withoutCount = (r: Record<string, any>) => delete r.counts.temperatureUploads;
    const lines = backupLines();
    const v2 = resealed(editLine(editLine(lines, 0, (r) => (withoutCount(r), (r.version = 2))), lines.length - 1, withoutCount));
    expect(verify(v2)).toMatchObject({ counts: COUNTS, headPosition: 5 });
    expect(verify(editLine(lines, 0, withoutCount))).toBe('line 1: header has a missing or invalid counts: a version 3 header counts temperatureUploads');
  });
});

// ------------------------------------------------------------ temperature uploads

describe('BackupVerifier, temperature uploads', () => {
  const UPLOAD = '11111111-2222-4333-8444-555555555555';
  const readings = [
    { at: '2026-11-20T08:00:00.000000Z', celsius: -18.3 },
    { at: '2026-11-20T08:05:00.000000Z', celsius: -79.99 },
  ];
  const uploadRow: TemperatureUploadRow = {
    upload_id: UPLOAD,
    trace_code: 'FISH-1',
    device_id: 'reefer-1',
    facility_id: null,
    recorded_at: '2026-11-20T09:00:00.123456Z',
    at: JSON.stringify(readings.map((r) => r.at)),
    celsius: '[-18.3,-79.99]',
  };
  const recorded = (digest: string | undefined) => ({
    type: 'TemperaturesRecorded',
    schemaVersion: 1,
    data: { uploadId: UPLOAD, deviceId: 'reefer-1', facilityId: null, count: 2, ...(digest === undefined ? {} : { readingsSha256: digest }) },
    metadata: {},
    occurredAt: '2026-11-20T08:00:00.000Z',
  });

  /** One lot, one upload: its event (with the digest given) and its row. */
  const uploadBackup = (digest: string | undefined = readingsSha256(readings), rows: TemperatureUploadRow[] = [uploadRow]): string[] => {
    const event = recorded(digest);
    const [hash] = chainHashes(GENESIS_HASH, [{ ...event, streamId: 'lot-FISH-1', version: 1 }]);
    const stream: StreamRow = { stream_id: 'lot-FISH-1', stream_type: 'lot', version: 1, head_hash: hash, created_at: '2026-11-20T09:00:00Z', updated_at: '2026-11-20T09:00:00Z' };
    const counts = { streams: 1, events: 1, idempotencyKeys: 0, temperatureUploads: rows.length };
    const body = [
      headerLine({ exportedAt: '2026-11-21T00:00:00.000Z', counts, headPosition: 1 }),
      streamLine(stream),
      eventLine({
        global_position: '1',
        transaction_id: '700',
        event_id: '00000000-0000-4000-8000-000000000001',
        stream_id: 'lot-FISH-1',
        stream_version: 1,
        type: event.type,
        schema_version: 1,
        data: JSON.stringify(event.data),
        metadata: '{}',
        occurred_at: event.occurredAt,
        recorded_at: '2026-11-20T09:00:00.000001Z',
        hash,
        signing_key_id: null,
        signature: null,
      }),
      ...rows.map(temperatureUploadLine),
    ];
    const digestOfLog = new LogDigest();
    digestOfLog.add(stream.stream_id, stream.version, stream.head_hash);
    const sha = createHash('sha256').update(body.map((l) => `${l}\n`).join(''), 'utf8').digest('hex');
    return [...body, trailerLine({ counts, logDigest: digestOfLog.digest(), sha256: sha })];
  };

  it('given an upload row, when written, then its times and values are the server text spliced in', () => {
    expect(parseBackupLine(temperatureUploadLine(uploadRow), 4)).toEqual({
      kind: 'temperatureUpload',
      uploadId: UPLOAD,
      traceCode: 'FISH-1',
      deviceId: 'reefer-1',
      facilityId: null,
      recordedAt: '2026-11-20T09:00:00.123456Z',
      at: readings.map((r) => r.at),
      celsius: [-18.3, -79.99],
    });
  });

  it('given uploads whose readings hash to their events\' digests, when fed, then they are counted', () => {
    expect(verify(uploadBackup())).toMatchObject({ counts: { streams: 1, events: 1, idempotencyKeys: 0, temperatureUploads: 1 } });
    // An event from before digests: its row is kept as it is.
    expect(verify(uploadBackup(undefined))).toMatchObject({ counts: { temperatureUploads: 1 } });
  });

  it('given a reading changed and the file resealed, when its line comes, then the upload is named', () => {
    const lines = resealed(editLine(uploadBackup(), 3, (r) => (r.celsius[1] = -7.99)));
    expect(verify(lines)).toBe(`line 4: upload ${UPLOAD} of lot FISH-1 is not what its event records (READINGS_MISMATCH: its lot, device, count or readings digest differ)`);
    const moved = resealed(editLine(uploadBackup(), 3, (r) => (r.traceCode = 'FISH-2')));
    expect(verify(moved)).toMatch(/^line 4: upload .* of lot FISH-2 is not what its event records \(READINGS_MISMATCH/);
  });

  it('given an upload left out, counts and seal made to match, when the end line comes, then it is named as missing', () => {
    expect(verify(uploadBackup(readingsSha256(readings), []))).toBe(`1 upload(s) recorded by events are not in the file (READINGS_MISSING): ${UPLOAD} (lot FISH-1)`);
  });

  it('given an upload no event records, or uploads out of order, when its line comes, then it is refused', () => {
    const stranger = { ...uploadRow, upload_id: '99999999-2222-4333-8444-555555555555' };
    expect(verify(uploadBackup(readingsSha256(readings), [uploadRow, stranger]))).toBe(
      'line 5: upload 99999999-2222-4333-8444-555555555555 is recorded by no TemperaturesRecorded event in the file',
    );
    expect(verify(uploadBackup(readingsSha256(readings), [uploadRow, uploadRow]))).toBe(`line 5: upload ${UPLOAD} is not after the previous upload (repeated or out of order)`);
  });
});
