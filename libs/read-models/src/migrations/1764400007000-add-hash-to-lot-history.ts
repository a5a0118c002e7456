import { MigrationInterface, QueryRunner } from 'typeorm';

/** History shows each event's chain hash; the rows projected before it was stored get it from the events. */
export class AddHashToLotHistory1764400007000 implements MigrationInterface {
  name = 'AddHashToLotHistory1764400007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lot_history ADD COLUMN hash bytea`);
    await q.query(`UPDATE lot_history h SET hash = e.hash FROM events e WHERE e.event_id = h.event_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lot_history DROP COLUMN hash`);
  }
}
