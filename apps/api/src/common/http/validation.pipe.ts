import { ValidationError, ValidationPipe } from '@nestjs/common';
import { validationFailed } from './api-errors';

interface FieldError {
  field: string;
  messages: string[];
}

const flatten = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });

/** Whitelist + forbid unknown fields; every failure is a 400 VALIDATION_FAILED naming each field. */
export const apiValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
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
