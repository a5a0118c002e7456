import { DataSource } from 'typeorm';
import { eventHash, GENESIS_HASH, hashedEventOf, HashedEventRow } from './integrity/event-hash';
import { EventSigner } from './integrity/event-signature';

/** Any constant; the same in every process, so two api processes starting together sign once. */
const LEGACY_SIGNING_LOCK = 7_305_005;
const FETCH_ROWS = 1000;

interface LegacyRow extends HashedEventRow {
  global_position: string;
  hash: string;
  signed: boolean;
}

export interface LegacySigning {
  /** Events signed now. */
  readonly signed: number;
  /** The last position written before events were signed (event_signing_legacy); 0 when there were none. */
  readonly upTo: number;
  /** Why nothing was signed though some legacy events are unsigned, if so. */
  readonly refused: string | null;
  /** Streams whose chain breaks below `upTo`: signed only up to the version before the break. */
  readonly brokenStreams: { readonly streamId: string; readonly fromVersion: number }[];
}

/**
 * The migration step that signs the events written before events were signed
 * (SignEvents1764400017000 recorded which: every event at or below its
 * position, and how many). Runs with the key, where the key is: the api at
 * start, after the migrations, and the keys CLI; a no-op once done (two
 * counts). Signs an event only if its stream's hash chain, re-computed from
 * the data up to it, holds; refuses everything when the number of events
 * below that position changed since the migration counted them (an event
 * slipped into a gap would otherwise be signed with the rest). Only INSERTs
 * signatures, so the runtime role can do it.
 */
export const signLegacyEvents = async (dataSource: DataSource, signer: EventSigner): Promise<LegacySigning> =>
  dataSource.transaction(async (m) => {
    // A large log takes a while to re-hash and sign, once; no request-sized statement timeout on it.
    await m.query('SET LOCAL statement_timeout = 0');
    await m.query('SELECT pg_advisory_xact_lock($1)', [LEGACY_SIGNING_LOCK]);
    const [legacy]: { up_to_position: string; events: string }[] = await m.query(`SELECT up_to_position, events FROM event_signing_legacy WHERE id = 1`);
    const upTo = Number(legacy?.up_to_position ?? 0);
    const nothing = (refused: string | null = null): LegacySigning => ({ signed: 0, upTo, refused, brokenStreams: [] });
    if (upTo === 0) return nothing();
    // Every event has at most one signature row (its position is the key), so equal counts mean all are signed.
    const [counts]: { events: string; signed: string }[] = await m.query(
      `SELECT (SELECT count(*) FROM events WHERE global_position <= $1) AS events,
              (SELECT count(*) FROM event_signatures WHERE global_position <= $1) AS signed`,
      [upTo],
    );
    if (Number(counts.events) !== Number(legacy.events)) {
      return nothing(
        `${counts.events} events lie at or below position ${upTo}, the migration counted ${legacy.events}: the log changed before they were signed, so none is`,
      );
    }
    if (Number(counts.signed) === Number(counts.events)) return nothing();

    let signed = 0;
    const brokenStreams: { streamId: string; fromVersion: number }[] = [];
    const chain = { streamId: '', expected: 1, previous: GENESIS_HASH, broken: false };
    await m.query(
      `DECLARE legacy_cursor NO SCROLL CURSOR FOR
       SELECT e.stream_id, e.stream_version, e.global_position, e.type, e.schema_version, e.data, e.metadata, e.occurred_at,
              encode(e.hash, 'hex') AS hash, g.global_position IS NOT NULL AS signed
         FROM events e LEFT JOIN event_signatures g ON g.global_position = e.global_position
        WHERE e.global_position <= $1
        ORDER BY e.stream_id, e.stream_version`,
      [upTo],
    );
    for (;;) {
      const rows: LegacyRow[] = await m.query(`FETCH ${FETCH_ROWS} FROM legacy_cursor`);
      if (rows.length === 0) break;
      const positions: string[] = [];
      const signatures: string[] = [];
      for (const r of rows) {
        if (r.stream_id !== chain.streamId) Object.assign(chain, { streamId: r.stream_id, expected: 1, previous: GENESIS_HASH, broken: false });
        if (chain.broken) continue;
        const hash = r.stream_version === chain.expected ? eventHash(chain.previous, hashedEventOf(r)) : null;
        // A signature vouches for the whole chain up to the event: never over a break.
        if (hash !== r.hash) {
          chain.broken = true;
          brokenStreams.push({ streamId: r.stream_id, fromVersion: chain.expected });
          continue;
        }
        chain.previous = hash;
        chain.expected++;
        if (r.signed) continue;
        positions.push(r.global_position);
        signatures.push(signer.signHash(hash).signature);
      }
      if (positions.length === 0) continue;
      await m.query(
        `INSERT INTO event_signatures (global_position, signing_key_id, signature)
         SELECT p, $3, decode(s, 'hex') FROM unnest($1::bigint[], $2::text[]) AS t(p, s)
         ON CONFLICT (global_position) DO NOTHING`,
        [positions, signatures, signer.signingKeyId],
      );
      signed += positions.length;
    }
    await m.query('CLOSE legacy_cursor');
    return { signed, upTo, refused: null, brokenStreams };
  });
