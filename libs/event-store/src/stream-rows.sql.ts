/**
 * The opening of both append statements (APPEND_SQL and a large append's):
 * the streams of an append as $1-$5 (id, type, expected version, next
 * version, head hash), a new stream's row created, a known one moved only
 * from the version the caller locked. `created` and `moved` answer the rows
 * written, so the events go in only when every stream row did.
 */
export const STREAM_ROWS = `
  WITH s AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[]) AS s(stream_id, stream_type, expected, next, head)
  ), created AS (
    INSERT INTO event_streams (stream_id, stream_type, version, head_hash)
    SELECT stream_id, stream_type, next, decode(head, 'hex') FROM s WHERE expected = 0
    ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id
  ), moved AS (
    UPDATE event_streams st SET version = s.next, head_hash = decode(s.head, 'hex'), updated_at = now()
      FROM s WHERE s.expected > 0 AND st.stream_id = s.stream_id AND st.version = s.expected
    RETURNING st.stream_id
  )`;
