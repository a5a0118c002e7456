/**
 * The console's one way to the API: the documented public routes under /api,
 * each call with `Authorization: Bearer <token>`. The token lives in this
 * tab's sessionStorage only: never in a URL, a cookie or localStorage, gone
 * when the tab closes.
 */
const TOKEN_KEY = 'coldtrace.console.token';

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const keepToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** An error answer of the API (its `{code, message, details}`), or a failure to reach it. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Called when the API stops accepting the stored token (revoked while signed in). */
let onUnauthenticated: (failure: ApiFailure) => void = () => undefined;
export const whenUnauthenticated = (handler: (failure: ApiFailure) => void): void => {
  onUnauthenticated = handler;
};

interface ErrorBody {
  code?: string;
  message?: string;
  details?: unknown;
}

/**
 * One request with the token: the answer when it is a success; a failure to
 * reach the API, or its error answer (`{code, message, details}`), thrown as
 * an ApiFailure.
 */
const request = async (method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, token: string | null, accept: string): Promise<Response> => {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiFailure(0, 'NETWORK_ERROR', 'The API could not be reached. Check the connection and try again.');
  }
  if (res.ok) return res;
  let e: ErrorBody = {};
  try {
    e = ((await res.json()) as ErrorBody | null) ?? {};
  } catch {
    // Not JSON: the status says what there is to say.
  }
  const failure = new ApiFailure(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.details);
  if (res.status === 401 && token === storedToken()) onUnauthenticated(failure);
  throw failure;
};

export const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, token: string | null = storedToken()): Promise<T> => {
  const text = await (await request(method, path, body, token, 'application/json')).text();
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    return null as T;
  }
};

/** A GET answered as it is (a file: its bytes and headers), the token in the header as for every call. */
export const fetchAnswer = (path: string, accept: string): Promise<Response> => request('GET', path, undefined, storedToken(), accept);

export type Query = Record<string, string | number | null | undefined>;

/** The path with the query's given parameters (null, undefined and empty ones left out). */
export const withQuery = (path: string, query: Query): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

export const get = <T>(path: string, query: Query = {}): Promise<T> => call<T>('GET', withQuery(path, query));

export const post = <T>(path: string, body: unknown): Promise<T> => call<T>('POST', path, body);

export const del = <T>(path: string): Promise<T> => call<T>('DELETE', path);

export const lotPath = (traceCode: string): string => `/api/lots/${encodeURIComponent(traceCode)}`;

/** Every page of a keyset-paged list (`nextCursor` back as `cursor`), up to `maxPages`. */
export const allPages = async <P extends { nextCursor: string | null }>(
  fetchPage: (cursor: string | null) => Promise<P>,
  maxPages = 20,
): Promise<{ pages: P[]; complete: boolean }> => {
  const pages: P[] = [];
  let cursor: string | null = null;
  do {
    const page: P = await fetchPage(cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < maxPages);
  return { pages, complete: cursor === null };
};
