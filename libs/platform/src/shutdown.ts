/**
 * SIGTERM / SIGINT: close the app (its hooks stop consumers and relays before
 * the pool closes), then the embedded database if this process owns one.
 */
export const onShutdownSignal = (
  close: () => Promise<void>,
  logger: { log(message: string): void },
  what = 'shutting down',
): void => {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, ${what}`);
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
};
