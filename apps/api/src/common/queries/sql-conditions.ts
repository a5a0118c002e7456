/**
 * The parameters of one SQL statement and the conditions that use them. A
 * list builds its filter's conditions with it, and a count of that list (the
 * dashboard) builds the very same ones: one predicate, read by both.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** `$n` for this value. */
  readonly p = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}

/** `WHERE a AND b`, or nothing. */
export const whereOf = (conditions: readonly string[]): string => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

/** One condition standing for all of them (`true` for none), for a `count(*) FILTER (WHERE …)`. */
export const allOf = (conditions: readonly string[]): string => (conditions.length ? conditions.map((c) => `(${c})`).join(' AND ') : 'true');
