import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validationFailed } from './api-errors';

/** The path of the first string holding U+0000, if any. */
const findNul = (value: unknown, path: string): string | null => {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = findNul(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return null;
};

/**
 * PostgreSQL cannot store U+0000 in text or jsonb; a request carrying one is
 * malformed, whether in the body, the query or the path. Refused before any rule runs.
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = findNul(value, metadata.type === 'param' ? (metadata.data ?? 'path') : '');
    if (found !== null) {
      const field = found || metadata.data || metadata.type;
      throw validationFailed(`${field} contains a NUL character (U+0000)`, { errors: [{ field, messages: ['must not contain U+0000'] }] });
    }
    return value;
  }
}
