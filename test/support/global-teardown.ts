export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __coldtraceEmbeddedPg?: { stop(): Promise<void> } }).__coldtraceEmbeddedPg;
  if (pg) await pg.stop();
}
