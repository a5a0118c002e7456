import { EntityManager } from 'typeorm';
import { StoredEvent } from './event-store.types';

/** The channel every appending transaction notifies, with its transaction id (see notifyAppended). */
export const APPENDS_CHANNEL = 'coldtrace_events';

/**
 * Run inline in every append's transaction (see PostgresEventStore's inline
 * projections): listeners in any process learn of the append at its commit
 * (NOTIFY is delivered only then; a rollback sends nothing), with the
 * transaction's id, so a reader knows whether what it read already covers it.
 */
export const notifyAppended = async (_events: readonly StoredEvent[], manager: EntityManager): Promise<void> => {
  await manager.query(`SELECT pg_notify($1, pg_current_xact_id()::text)`, [APPENDS_CHANNEL]);
};
