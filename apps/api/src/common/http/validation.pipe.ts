import { ArgumentMetadata, ValidationError, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { validationFailed } from './api-errors';

interface FieldError {
  field: string;
  messages: string[];
}

/** Constraints on what a value is; when one fails, the others (a range, a length) fail with it and only add noise. */
const TYPE_CONSTRAINTS = new Set(['isDecimalNumber', 'isNumber', 'isInt', 'isString', 'isBoolean', 'isArray', 'isObject', 'isEnum', 'isIn']);

/** One message for a value of the wrong kind (`"abc"` for a quantity), else every constraint it breaks. */
const messagesOf = (constraints: Record<string, string>): string[] => {
  const typed = Object.entries(constraints).filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return (typed.length > 0 ? typed.slice(0, 1) : Object.entries(constraints)).map(([, message]) => message);
};

const flatten = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: messagesOf(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });

/**
 * A class may answer its common, certainly valid value itself, without
 * class-transformer and class-validator: `static precheck(value)` returns the
 * instance they would build, or null to leave the value to them (and their
 * exact errors). Each such class has a spec comparing the two.
 */
interface Prechecked {
  precheck(value: unknown): object | null;
}

/** The body `type`'s own precheck of `value` (see Prechecked): the instance, or null when the pipe must judge it. */
export const prechecked = (type: unknown, value: unknown): object | null =>
  typeof (type as Partial<Prechecked> | undefined)?.precheck === 'function' ? (type as Prechecked).precheck(value) : null;

/**
 * A GET without a query string (the retailer's eligibility read) is the
 * common case: whether `{}` validates against a query class never changes,
 * so once it has, it is answered with a fresh instance without running
 * class-transformer and class-validator again (a good part of a read's CPU).
 */
class ApiValidationPipe extends ValidationPipe {
  private readonly emptyQueryValid = new WeakSet<object>();

  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as (new () => object) | undefined;
    const empty = metadata.type === 'query' && type !== undefined && value !== null && typeof value === 'object' && Object.keys(value).length === 0;
    if (empty && this.emptyQueryValid.has(type)) return new type();
    const checked = metadata.type === 'body' ? prechecked(type, value) : null;
    if (checked) return checked;
    const result = await super.transform(value, metadata);
    if (empty) this.emptyQueryValid.add(type);
    return result;
  }
}

/** Whitelist + forbid unknown fields; every failure is a 400 VALIDATION_FAILED naming each field. */
export const apiValidationPipe = (): ValidationPipe =>
  new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const summary = fields.map((f) => `${f.field}: ${f.messages.join('; ')}`).join(' | ');
      return validationFailed(summary || 'the request is not valid', { errors: fields });
    },
  });
