import { envInt } from './config/env';

/**
 * `SHUTDOWN_GRACE_MS`: how long a process may take to close after SIGTERM or
 * SIGINT. Under docker stop's 10 s (Kubernetes gives 30 s), so the process
 * ends on its own terms, logged, before the orchestrator's SIGKILL.
 */
export const envShutdownGraceMs = (env: NodeJS.ProcessEnv): number => envInt(env, 'SHUTDOWN_GRACE_MS', 8000, 0);

/**
 * SIGTERM / SIGINT: close the app (its hooks stop consumers and relays before
 * the pool closes), then the embedded database if this process owns one.
 * Closing waits for requests in flight, and one may never end (a client that
 * stops sending its body, a capture held by a lock): `graceMs` after the
 * signal the process exits anyway, with code 1. A second signal is not
 * caught: it ends the process at once.
 */
export const onShutdownSignal = (
  close: () => Promise<void>,
  logger: { log(message: string): void; warn(message: string): void },
  options: { readonly graceMs: number; readonly what?: string },
): void => {
  const { graceMs, what = 'shutting down' } = options;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, ${what} (within ${graceMs} ms)`);
    // Unref'd: it bounds the wait, it does not keep an otherwise finished process alive.
    setTimeout(() => {
      logger.warn(`${signal}: not closed after ${graceMs} ms (SHUTDOWN_GRACE_MS), work still in flight is abandoned; exiting`);
      process.exit(1);
    }, graceMs).unref();
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
};
