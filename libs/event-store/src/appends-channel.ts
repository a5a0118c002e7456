/**
 * The channel every appending transaction notifies, with its transaction id:
 * the append statement itself does it (PostgresEventStore's APPEND_SQL), so
 * listeners in any process learn of the append at its commit (NOTIFY is
 * delivered only then; a rollback sends nothing), and a reader knows whether
 * what it read already covers it.
 */
export const APPENDS_CHANNEL = 'coldtrace_events';
