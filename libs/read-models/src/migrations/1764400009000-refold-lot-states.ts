import { MigrationInterface } from 'typeorm';

/**
 * Once folded the lots' stored state afresh after the custody timeline
 * arrived. Superseded by ReadModelsOwnShapes1764400012000, which empties
 * those tables and has them rebuilt from the log: kept (empty) so databases
 * that ran it and databases that did not end up alike.
 */
export class RefoldLotStates1764400009000 implements MigrationInterface {
  name = 'RefoldLotStates1764400009000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
