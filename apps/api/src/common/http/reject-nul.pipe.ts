import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validationFailed } from './api-errors';
import { unstorableText } from './input-shape';

/** The path and problem of the first string PostgreSQL could not store, if any (a path or query value is shallow). */
const findUnstorable = (value: unknown, path: string): { path: string; problem: string } | null => {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    return problem ? { path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = findUnstorable(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return null;
};

/**
 * PostgreSQL cannot store U+0000 or a lone UTF-16 surrogate; a request
 * carrying one (in the path or the query) is malformed and is refused before
 * any rule runs. A body was checked as it was parsed (assertStorableBody in
 * app.setup.ts): walking it again cost a 1 MB body another 60-140 ms.
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom' || metadata.type === 'body') return value;
    const found = findUnstorable(value, metadata.type === 'param' ? (metadata.data ?? 'path') : '');
    if (found !== null) {
      const field = found.path || metadata.data || metadata.type;
      throw validationFailed(`${field} ${found.problem}`, { errors: [{ field, messages: [found.problem] }] });
    }
    return value;
  }
}
