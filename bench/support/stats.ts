export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const timed = async <T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = performance.now();
  const value = await f();
  return { ms: performance.now() - started, value };
};

/** 12,345 */
export const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
export const ms = (x: number | null): string => (x === null || !Number.isFinite(x) ? '-' : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
export const seconds = (msValue: number): string => `${(msValue / 1000).toFixed(2)} s`;
export const mib = (bytes: number | null): string => (bytes === null ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
export const ratio = (x: number): string => (Number.isFinite(x) ? `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}x` : '-');

/** The p-th percentile (nearest rank) of `xs`. */
export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
