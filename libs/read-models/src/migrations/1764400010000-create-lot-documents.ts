import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which lots carry which document (type, issuer, number), written inline with
 * the DocumentAttached events, so attaching a paper can tell whether the same
 * number is already on an unrelated lot. Filled from the events on file.
 */
export class CreateLotDocuments1764400010000 implements MigrationInterface {
  name = 'CreateLotDocuments1764400010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lot_documents (
        type        text NOT NULL,
        issuer      text NOT NULL,
        number      text NOT NULL,
        trace_code  text NOT NULL,
        position    bigint NOT NULL,
        PRIMARY KEY (type, issuer, number, trace_code)
      )`);
    await q.query(`CREATE INDEX lot_documents_lot ON lot_documents (trace_code, type)`);
    await q.query(`
      INSERT INTO lot_documents (type, issuer, number, trace_code, position)
      SELECT data->'document'->>'type', data->'document'->>'issuer', data->'document'->>'number', substring(stream_id FROM 5), global_position
        FROM events WHERE type = 'DocumentAttached' AND stream_id LIKE 'lot-%'
      ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lot_documents`);
  }
}
