import '../../../../libs/platform/src/register-aliases';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { createInlineProjections, createLotProjections, ProjectionEngine } from '@app/read-models';
import { dataSourceOptions, envDatabase, resolveDatabase, runMigrationsLocked } from '@app/platform';

/**
 * Empties every read model and replays the whole event log into it. Safe
 * while the service runs: each projection's checkpoint row is locked while
 * it is reset and while each batch is applied, so the two take turns.
 */
export const rebuildProjections = async (databaseUrl: string): Promise<Record<string, number>> => {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
    const engine = new ProjectionEngine([...createLotProjections(), ...createInlineProjections()], new PostgresEventStore(dataSource), dataSource);
    return await engine.rebuild();
  } finally {
    await dataSource.destroy();
  }
};

const main = async (): Promise<void> => {
  const logger = new Logger('Rebuild');
  const database = await resolveDatabase(envDatabase(process.env), logger);
  logger.log(`rebuilding projections in ${database.description}`);
  const started = Date.now();
  try {
    const counts = await rebuildProjections(database.url);
    for (const [name, n] of Object.entries(counts)) logger.log(`${name}: replayed ${n} events`);
    logger.log(`done in ${Date.now() - started} ms`);
  } finally {
    await database.embedded?.stop();
  }
};

if (require.main === module) {
  main().catch((e: Error) => {
    new Logger('Rebuild').error(e.message, e.stack);
    process.exit(1);
  });
}
