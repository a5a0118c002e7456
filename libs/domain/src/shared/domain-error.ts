/**
 * A rule or precondition failed. `code` is stable and documented (docs/api.md, Error codes);
 * `kind` tells the transport how to answer without the domain knowing HTTP.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'rule' | 'forbidden';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'invalid', details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'not_found', details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'conflict', details);
export const ruleViolated = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'rule', details);
/** The caller is known but this credential may not do this (its role, or its facilities). */
export const forbidden = (message: string, details?: Record<string, unknown>) =>
  new DomainError('FORBIDDEN', message, 'forbidden', details);
