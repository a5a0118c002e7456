// Resolves the `@app/<lib>` imports in the compiled output (dist/), where
// TypeScript's `paths` no longer apply. Must be the first import of an entry point.
import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';

register({ baseUrl: resolve(__dirname, '../../..'), paths: { '@app/*': ['libs/*/src'] } });
