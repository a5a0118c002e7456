import { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_LOCK } from '../postgres-event-store';

/**
 * Each event's Ed25519 signature, in a table of its own keyed by the event's
 * position, append-only like `events`. A side table rather than columns on
 * `events`: the events written before signing get theirs later (at the api's
 * next start, with the key) by INSERT, which the runtime role may do, instead
 * of an UPDATE of `events`, which nobody should.
 *
 * `event_signing_legacy` records which events those are: the log as this
 * migration found it (the highest position and how many events at or below
 * it). Only they may be signed after the fact; anything written later was
 * signed by its append, or is a forgery. The count makes an event slipped
 * into a gap below that position (OVERRIDING SYSTEM VALUE) stop the
 * after-the-fact signing instead of being signed with the rest.
 */
export class SignEvents1764400017000 implements MigrationInterface {
  name = 'SignEvents1764400017000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION event_signatures_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event signatures are append-only: % refused', TG_OP;
      END $$`);
    await q.query(`
      CREATE TABLE event_signatures (
        global_position bigint PRIMARY KEY REFERENCES events (global_position),
        signing_key_id  text NOT NULL CONSTRAINT event_signatures_key_id CHECK (signing_key_id ~ '^[0-9a-f]{16}$'),
        signature       bytea NOT NULL CONSTRAINT event_signatures_ed25519 CHECK (octet_length(signature) = 64)
      )`);
    await q.query(`
      CREATE TRIGGER event_signatures_append_only BEFORE UPDATE OR DELETE ON event_signatures
      FOR EACH ROW EXECUTE FUNCTION event_signatures_are_append_only()`);
    await q.query(`
      CREATE TRIGGER event_signatures_no_truncate BEFORE TRUNCATE ON event_signatures
      FOR EACH STATEMENT EXECUTE FUNCTION event_signatures_are_append_only()`);
    await q.query(`
      CREATE TABLE event_signing_legacy (
        id             integer PRIMARY KEY CHECK (id = 1),
        up_to_position bigint NOT NULL,
        events         bigint NOT NULL
      )`);
    // Exclusively, as an audit does: every append below the head has committed, none starts until this does.
    await q.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    await q.query(`INSERT INTO event_signing_legacy (id, up_to_position, events) SELECT 1, COALESCE(max(global_position), 0), count(*) FROM events`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_signing_legacy`);
    await q.query(`DROP TABLE event_signatures`);
    await q.query(`DROP FUNCTION event_signatures_are_append_only()`);
  }
}
