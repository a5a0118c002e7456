import { Agent, request } from 'node:http';

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** One keep-alive pool for the bench's own requests (setup, the recall watcher), up to 64 sockets. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A JSON request to a service on loopback; resolves on any status (the caller judges it). A keep-alive
 * socket the server closed while it sat idle fails with ECONNRESET before the request reached the server:
 * then the request is sent again on a fresh socket (Node's documented `reusedSocket` check).
 */
export const call = <T = unknown>(method: string, url: string, token: string | null, body?: unknown): Promise<Answer<T>> =>
  new Promise<Answer<T>>((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (req.reusedSocket && e.code === 'ECONNRESET') call<T>(method, url, token, body).then(resolve, reject);
      else reject(e);
    });
    req.end(payload);
  });

/** A client of one api base URL with one bearer token. */
export interface ApiClient {
  get<T = unknown>(path: string): Promise<Answer<T>>;
  post<T = unknown>(path: string, body: unknown): Promise<Answer<T>>;
  /** post() that must answer one of `ok` (default 200 or 201); returns the body. */
  ok<T = unknown>(path: string, body: unknown, ok?: number[]): Promise<T>;
}

export const client = (baseUrl: string, token: string | null): ApiClient => ({
  get: <T>(path: string) => call<T>('GET', `${baseUrl}${path}`, token),
  post: <T>(path: string, body: unknown) => call<T>('POST', `${baseUrl}${path}`, token, body),
  ok: async <T>(path: string, body: unknown, ok = [200, 201]) => {
    const res = await call<T>('POST', `${baseUrl}${path}`, token, body);
    if (!ok.includes(res.status)) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body;
  },
});

/** Runs `f` over `items`, `limit` at a time, keeping input order in the results. */
export const pool = async <T, R>(items: readonly T[], limit: number, f: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i], i);
      }
    }),
  );
  return out;
};
