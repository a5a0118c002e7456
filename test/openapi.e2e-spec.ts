import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { RoutePolicyCheck } from '../apps/api/src/access/route-policy.check';
import type { AddressInfo } from 'node:net';
import { launchBrowser } from './support/browser';
import { itNeeding } from './support/needs';
import { controllerRoutes } from './support/routes';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The OpenAPI document against the router itself: every route the app
 * serves is in it with its method, the document is valid OpenAPI, each
 * route's security matches its declared policy, and each lists its error
 * answers in the one error shape. Swagger UI loads from this origin.
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options'] as const;
const ERROR_SCHEMA = '#/components/schemas/ApiErrorResponse';

/** `GET /api/lots/:traceCode` -> `GET /api/lots/{traceCode}`, as OpenAPI names paths. */
const asOpenApi = (route: string): string => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const operations = (doc: OpenAPIObject): { route: string; op: OperationObject }[] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m) => ({ route: `${m.toUpperCase()} ${path}`, op: item[m]! })),
  );

/** The schema refs an error response's JSON body points at (directly or through allOf). */
const refsOf = (response: ResponseObject | ReferenceObject): string[] => {
  const schema = (response as ResponseObject).content?.['application/json']?.schema as (SchemaObject & ReferenceObject) | undefined;
  if (!schema) return [];
  return [schema.$ref, ...(schema.allOf ?? []).map((s) => (s as ReferenceObject).$ref)].filter((r): r is string => r !== undefined);
};

describe('OpenAPI document and Swagger UI (e2e)', () => {
  let t: TestApp;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.anonymous().get('/api/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body as OpenAPIObject;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is a valid OpenAPI 3 document whose references all resolve', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    const validator = new Validator();
    // A copy: resolving references rewrites the document it was given.
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result).toEqual({ valid: true });
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('has every route the router serves, with its method, and nothing the router does not serve', () => {
    const served = controllerRoutes(t.app).map(asOpenApi).sort();
    expect(served.length).toBeGreaterThan(30);
    const documented = operations(doc).map((o) => o.route).sort();
    expect(documented).toEqual(served);
  });

  it('declares the bearer scheme on every secured route and none on a public one', () => {
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const byOperationId = new Map(operations(doc).map((o) => [o.op.operationId, o]));
    const declared = t.app.get(RoutePolicyCheck).routes();
    expect(declared.length).toBe(operations(doc).length);
    for (const r of declared) {
      const documented = byOperationId.get(`${r.controller}_${r.handler}`);
      expect({ handler: `${r.controller}.${r.handler}`, documented: documented !== undefined }).toEqual({ handler: `${r.controller}.${r.handler}`, documented: true });
      const seen = { route: documented!.route, security: documented!.op.security ?? [] };
      if (r.policy?.kind === 'public') expect(seen).toEqual({ route: seen.route, security: [] });
      else expect(seen).toEqual({ route: seen.route, security: [{ bearer: [] }] });
    }
  });

  it('gives every route a summary, a success answer and its error answers (in the error shape, or a page for a page)', () => {
    expect(doc.components?.schemas?.ApiErrorResponse).toMatchObject({ required: expect.arrayContaining(['code', 'message']) });
    for (const { route, op } of operations(doc)) {
      const statuses = Object.keys(op.responses);
      const errors = statuses.filter((s) => Number(s) >= 400);
      expect({ route, summary: typeof op.summary }).toEqual({ route, summary: 'string' });
      expect({ route, success: statuses.some((s) => Number(s) >= 200 && Number(s) < 300) }).toEqual({ route, success: true });
      expect({ route, errors: errors.length > 0 }).toEqual({ route, errors: true });
      for (const status of errors) {
        const response = op.responses[status] as ResponseObject;
        // A page for people (outside /api) fails with a page; the API's every error is the shared schema, its description naming the codes.
        if (!route.includes(' /api/') && Object.keys(response.content ?? {}).join() === 'text/html') continue;
        expect({ route, status, refs: refsOf(response) }).toEqual({ route, status, refs: [ERROR_SCHEMA] });
      }
      // A key's route may refuse the key: 401 without one, 403 for a role or facility not allowed.
      if ((op.security ?? []).length > 0) expect({ route, access: ['401', '403'].filter((s) => statuses.includes(s)) }).toEqual({ route, access: ['401', '403'] });
    }
  });

  it('documents request bodies from the DTOs, with the validation rules', () => {
    const body = (route: string) => {
      const [method, path] = route.split(' ');
      const op = doc.paths[path][method.toLowerCase() as 'post'];
      const ref = (op?.requestBody as { content: Record<string, { schema: ReferenceObject }> } | undefined)?.content['application/json']?.schema.$ref;
      return doc.components!.schemas![ref!.split('/').pop()!] as SchemaObject;
    };
    // A capture's body is GS1's document; sending a delivery again reads no body at all.
    const bodiless = ['POST /api/epcis/capture', 'POST /api/subscriptions/{id}/deliveries/{deliveryId}/retry'];
    for (const { route, op } of operations(doc).filter((o) => o.route.startsWith('POST ') && !bodiless.includes(o.route))) {
      expect({ route, body: op.requestBody !== undefined }).toEqual({ route, body: true });
    }
    const scan = body('POST /api/scans');
    expect(scan.required).toEqual(expect.arrayContaining(['scanId', 'traceCode', 'facilityId', 'action', 'occurredAt']));
    expect(scan.properties!.action).toMatchObject({ enum: ['RECEIVE', 'STORE', 'DISINFECT', 'SAMPLE', 'DISPATCH', 'SELL'] });
    expect(scan.properties!.temperatureC).toMatchObject({ minimum: -80, maximum: 60 });
    expect(scan.properties!.scanId).toMatchObject({ pattern: expect.any(String), maxLength: 128 });
    const facility = body('POST /api/facilities');
    expect(facility.properties!.type).toMatchObject({ enum: ['PORT_OF_ENTRY', 'CENTRAL_WAREHOUSE', 'WHOLESALE_MARKET', 'RETAIL_STORE'] });
  });

  it('serves Swagger UI at /api/docs from this origin, with a CSP relaxed there only', async () => {
    const page = await t.anonymous().get('/api/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="swagger-ui">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    // No inline script: the page's CSP allows scripts from this origin only.
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);

    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui-init.js']));
    for (const src of scripts) {
      const asset = await t.anonymous().get(src).expect(200);
      expect({ src, type: asset.headers['content-type'] }).toEqual({ src, type: expect.stringMatching(/^application\/javascript/) });
      expect(asset.text.length).toBeGreaterThan(0);
    }
    const init = await t.anonymous().get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain("url: '/api/openapi.json'");
    const css = await t.anonymous().get('/api/docs/swagger-ui.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);

    // Only the files the page needs: nothing else of the package, no path out of it.
    for (const path of ['/api/docs/package.json', '/api/docs/..%2Fpackage.json', '/api/docs/index.html']) {
      const res = await t.anonymous().get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'ROUTE_NOT_FOUND' });
    }

    // Everywhere else the CSP stays default-src 'none'.
    const json = await t.anonymous().get('/api/openapi.json').expect(200);
    expect(json.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const health = await t.anonymous().get('/api/health/live').expect(200);
    expect(health.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  itNeeding('chromium', __filename)('Swagger UI renders every operation in a real browser, under its CSP, with nothing blocked', async () => {
    const server = t.app.getHttpServer() as import('node:http').Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await page.goto(`${origin}/api/docs`);
      await page.locator('.swagger-ui .info .title', { hasText: 'Coldtrace' }).waitFor({ timeout: 30_000 });
      await page.locator('.opblock').first().waitFor();
      expect(await page.locator('.opblock').count()).toBe(operations(doc).length);
      // The CSP would report a blocked script, style or fetch as a console error.
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
