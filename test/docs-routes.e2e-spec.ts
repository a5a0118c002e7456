import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { controllerRoutes } from './support/routes';
import { createTestApp, TestApp } from './support/test-app';

/** The routes docs/api.md's route table lists (`METHOD /path` in each row's first cell). */
const documentedRoutes = (): string[] => {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'api.md'), 'utf8');
  const table = doc.split('<!-- routes:start -->')[1]?.split('<!-- routes:end -->')[0];
  if (!table) throw new Error('docs/api.md has no route table (<!-- routes:start --> ... <!-- routes:end -->)');
  const rows = table.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1].matchAll(/`((?:GET|POST|PUT|PATCH|DELETE|OPTIONS) \S+?)`/g)].map((m) => m[1])).sort();
};

describe('docs: the route table (docs/api.md) equals the router and the OpenAPI document (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every route the router serves, once, and no other', () => {
    const documented = documentedRoutes();
    expect(documented.filter((route, i) => documented.indexOf(route) !== i)).toEqual([]); // none twice
    expect(documented).toEqual(controllerRoutes(t.app));
  });

  it('lists the routes of the OpenAPI document the service serves', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const inOpenApi = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`))
      .sort();
    expect(documentedRoutes()).toEqual(inOpenApi);
  });
});
