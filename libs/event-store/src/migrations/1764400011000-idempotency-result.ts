import { MigrationInterface, QueryRunner } from 'typeorm';

/** An idempotency key keeps the command's result (plain JSON), not an HTTP answer: the store knows nothing of HTTP. */
export class IdempotencyResult1764400011000 implements MigrationInterface {
  name = 'IdempotencyResult1764400011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys RENAME COLUMN response TO result`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys RENAME COLUMN result TO response`);
  }
}
