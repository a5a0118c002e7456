import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config/env';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * METRICS_TOKEN: null leaves /metrics open; set, it must come as
 * `Authorization: Bearer <token>`. Compared as SHA-256 digests in constant
 * time, so neither the token's bytes nor its length leak through timing.
 */
export const metricsTokenAccepted = (expected: string | null, authorization: string | undefined): boolean => {
  if (expected === null) return true;
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const same = timingSafeEqual(digest(match?.[1] ?? ''), digest(expected));
  return match !== null && same;
};

export const METRICS_UNAUTHENTICATED = {
  code: 'UNAUTHENTICATED',
  message: 'this route needs Authorization: Bearer <METRICS_TOKEN>',
} as const;

/** METRICS_TOKEN from the environment (api and projector alike); empty or unset = open. */
export const envMetricsToken = (env: NodeJS.ProcessEnv): string | null => {
  const token = env.METRICS_TOKEN || null;
  if (token !== null && token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters (use a random secret)');
  return token;
};
