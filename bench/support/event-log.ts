import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { lotStreamId } from '@app/domain';
import { childEnv } from './processes';

const run = promisify(execFile);

/** A lot's events as the api recorded them, to be replayed under other trace codes. */
export interface TemplateLot {
  traceCode: string;
  streamId: string;
  streamType: string;
  events: { type: string; schemaVersion: number; data: string; metadata: string; occurredAt: string }[];
}

export const readTemplate = async (dataSource: DataSource, traceCode: string): Promise<TemplateLot> => {
  const rows: { stream_id: string; stream_type: string; type: string; schema_version: number; data: unknown; metadata: unknown; occurred_at: Date }[] =
    await dataSource.query(
      `SELECT e.stream_id, s.stream_type, e.type, e.schema_version, e.data, e.metadata, e.occurred_at
         FROM events e JOIN event_streams s USING (stream_id)
        WHERE e.stream_id = $1
        ORDER BY e.stream_version`,
      [lotStreamId(traceCode)],
    );
  if (rows.length === 0) throw new Error(`no events for template lot ${traceCode}`);
  return {
    traceCode,
    streamId: rows[0].stream_id,
    streamType: rows[0].stream_type,
    events: rows.map((r) => ({
      type: r.type,
      schemaVersion: r.schema_version,
      data: JSON.stringify(r.data),
      metadata: JSON.stringify(r.metadata),
      occurredAt: r.occurred_at.toISOString(),
    })),
  };
};

/**
 * Appends `lots` copies of the template lot (lot `<codePrefix><i>`) through
 * the event store's appendMany, in `workers` processes (bench/support/append-copies.js)
 * of two transactions in flight each, `streamsPerAppend` new streams a transaction.
 */
export const appendCopies = async (
  databaseUrl: string,
  template: TemplateLot,
  lots: number,
  codePrefix: string,
  workers = 2,
  streamsPerAppend = 200,
): Promise<number> => {
  const dir = mkdtempSync(join(tmpdir(), 'coldtrace-bench-copies-'));
  try {
    const share = Math.ceil(lots / workers);
    const results = await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const file = join(dir, `worker-${w}.json`);
        const from = w * share;
        const to = Math.min(lots, from + share);
        writeFileSync(file, JSON.stringify({ databaseUrl, template, from, to, codePrefix, streamsPerAppend, inFlight: 2 }));
        const { stdout } = await run(process.execPath, [join(__dirname, 'append-copies.js'), file], { env: childEnv({}), maxBuffer: 1024 * 1024 });
        return (JSON.parse(stdout) as { events: number }).events;
      }),
    );
    return results.reduce((x, y) => x + y, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
