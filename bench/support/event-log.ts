import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { lotStreamId } from '@app/domain';
import { withDb } from './db';
import { childEnv } from './processes';

const run = promisify(execFile);

/** A lot's events as the api recorded them, to be replayed under other trace codes. */
export interface TemplateLot {
  traceCode: string;
  streamId: string;
  streamType: string;
  events: {
    type: string;
    schemaVersion: number;
    data: string;
    metadata: string;
    occurredAt: string;
    hash: string;
    signingKeyId: string | null;
    signature: string | null;
  }[];
}

export const readTemplate = async (dataSource: DataSource, traceCode: string): Promise<TemplateLot> => {
  const rows: {
    stream_id: string;
    stream_type: string;
    type: string;
    schema_version: number;
    data: unknown;
    metadata: unknown;
    occurred_at: Date;
    hash: string;
    signing_key_id: string | null;
    signature: string | null;
  }[] = await dataSource.query(
    `SELECT e.stream_id, s.stream_type, e.type, e.schema_version, e.data, e.metadata, e.occurred_at, encode(e.hash, 'hex') AS hash,
            g.signing_key_id, encode(g.signature, 'hex') AS signature
       FROM events e JOIN event_streams s USING (stream_id)
       LEFT JOIN event_signatures g ON g.global_position = e.global_position
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
      hash: r.hash,
      signingKeyId: r.signing_key_id,
      signature: r.signature,
    })),
  };
};

/**
 * Writes `lots` copies of the template lot (lot `<codePrefix><i>`) into the
 * log with COPY (bench/support/append-copies.js), in `workers` processes,
 * `copiesPerCopy` lots a COPY transaction; `hashChains`: each copy's own hash
 * chain (else the template's hashes). Their global positions are reserved
 * here first, in one block: nothing else may append meanwhile (no api runs on
 * the database). Returns the events written.
 */
export const appendCopies = async (
  databaseUrl: string,
  template: TemplateLot,
  lots: number,
  codePrefix: string,
  o: { workers: number; hashChains: boolean; copiesPerCopy?: number },
): Promise<number> => {
  const { workers, hashChains, copiesPerCopy = 500 } = o;
  const perLot = template.events.length;
  const first = await withDb(databaseUrl, async (ds) => {
    const [{ seq }] = await ds.query(`SELECT pg_get_serial_sequence('events', 'global_position') AS seq`);
    const [{ next }] = await ds.query(`SELECT nextval($1::regclass) AS next`, [seq]);
    await ds.query(`SELECT setval($1::regclass, $2::bigint)`, [seq, Number(next) + lots * perLot - 1]);
    return Number(next);
  });
  const dir = mkdtempSync(join(tmpdir(), 'coldtrace-bench-copies-'));
  try {
    const share = Math.ceil(lots / workers);
    const results = await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const from = w * share;
        const to = Math.min(lots, from + share);
        if (from >= to) return 0;
        const file = join(dir, `worker-${w}.json`);
        writeFileSync(file, JSON.stringify({ databaseUrl, template, from, to, firstPosition: first + from * perLot, codePrefix, copiesPerCopy, hashChains }));
        const { stdout } = await run(process.execPath, [join(__dirname, 'append-copies.js'), file], { env: childEnv({}), maxBuffer: 1024 * 1024 });
        return (JSON.parse(stdout) as { events: number }).events;
      }),
    );
    return results.reduce((x, y) => x + y, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
