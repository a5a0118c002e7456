import { DataSource } from 'typeorm';

/** One connection to `url` for `f`, closed after. */
export const withDb = async <T>(url: string, f: (ds: DataSource) => Promise<T>): Promise<T> => {
  const ds = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await ds.initialize();
  try {
    return await f(ds);
  } finally {
    await ds.destroy();
  }
};

export const countEvents = (url: string): Promise<number> =>
  withDb(url, async (ds) => Number((await ds.query(`SELECT count(*) AS n FROM events`))[0].n));
