import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recall's page asks, for each lot of a page, whether the holder's
 * subscribers were told of it (GET /api/recalls/:id `told`): deliveries
 * found by lot and type, not by scanning every delivery.
 */
export class WebhookDeliveriesByLot1764400021000 implements MigrationInterface {
  name = 'WebhookDeliveriesByLot1764400021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_deliveries_lot ON webhook_deliveries (trace_code, type)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_lot`);
  }
}
