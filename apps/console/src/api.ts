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

export const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, token: string | null = storedToken()): Promise<T> => {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
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
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const e = (parsed ?? {}) as ErrorBody;
    const failure = new ApiFailure(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.details);
    if (res.status === 401 && token === storedToken()) onUnauthenticated(failure);
    throw failure;
  }
  return parsed as T;
};

export const get = <T>(path: string, query: Record<string, string | number | null | undefined> = {}): Promise<T> => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return call<T>('GET', qs ? `${path}?${qs}` : path);
};

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
