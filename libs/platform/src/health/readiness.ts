import { ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** How long a readiness part may take to answer before it counts as down. */
export const READINESS_TIMEOUT_MS = 2_000;

/** The 503 body of a readiness check: `{code, message, details}` like every error of ours. */
export interface NotReadyBody {
  readonly code: 'NOT_READY';
  readonly message: string;
  readonly details: { readonly status: string; readonly failing: string[]; readonly checks: HealthCheckResult['details'] };
}

/**
 * Runs the checks with @nestjs/terminus: the result (`status` `ok`, or
 * `degraded` when a part says so, with each part under `details`), or the
 * 503 body naming the failing parts (`shutting_down`: the app is closing).
 */
export const checkReadiness = async (
  health: HealthCheckService,
  checks: HealthIndicatorFunction[],
): Promise<{ ready: true; result: HealthCheckResult } | { ready: false; body: NotReadyBody }> => {
  try {
    return { ready: true, result: await health.check(checks) };
  } catch (e) {
    if (!(e instanceof ServiceUnavailableException)) throw e;
    const result = e.getResponse() as HealthCheckResult;
    const failing = result.status === 'shutting_down' ? ['shutdown'] : Object.keys(result.error ?? {});
    const message = result.status === 'shutting_down' ? 'not ready: shutting down' : `not ready: ${failing.join(', ')}`;
    return { ready: false, body: { code: 'NOT_READY', message, details: { status: result.status, failing, checks: result.details } } };
  }
};

/**
 * A part that is up when `probe` resolves in time (its value is the part's
 * data), down with the error's message otherwise.
 */
export const probePart =
  (indicators: HealthIndicatorService, key: string, probe: () => Promise<Record<string, unknown> | void>, timeoutMs = READINESS_TIMEOUT_MS): HealthIndicatorFunction =>
  () =>
    indicators.check(key).attempt(probe).withTimeout(timeoutMs);

/** A part judged from state the process already holds: `down` names why. */
export const statePart =
  (indicators: HealthIndicatorService, key: string, judge: () => Promise<{ up: boolean; degraded?: boolean; data: Record<string, unknown> }>): HealthIndicatorFunction =>
  async (): Promise<HealthIndicatorResult> => {
    const { up, degraded, data } = await judge();
    const session = indicators.check(key);
    return up ? (degraded ? session.degraded(data) : session.up(data)) : session.down(data);
  };

/** `promise`, or a rejection once `ms` have passed without an answer. */
export const withinMs = <T>(promise: Promise<T>, ms = READINESS_TIMEOUT_MS): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};
