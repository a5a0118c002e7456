import { writeSync } from 'node:fs';

/**
 * The CLIs' one argument parser and usage: each CLI declares its flags once
 * (CliSpec); `--help`/`-h` and unknown or incomplete flags are answered here,
 * before a CLI reads its environment or touches a database.
 */

export interface CliOption {
  /** `string` takes a value (`--out FILE` or `--out=FILE`); `boolean` does not. */
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** May be given more than once (the values in order). */
  readonly multiple?: boolean;
  /** Shown after the flag in the usage, e.g. `FILE`. */
  readonly value?: string;
  readonly help: string;
}

export interface CliSpec {
  /** The npm script: `npm run <name>`. */
  readonly name: string;
  /** What it does, one line. */
  readonly summary: string;
  /** The command lines after `npm run <name> --`, e.g. `--out FILE.ndjson.gz`. */
  readonly synopsis: readonly string[];
  readonly options: Readonly<Record<string, CliOption>>;
  /** Lines after the options: environment, notes. */
  readonly notes?: readonly string[];
}

export type CliValues = Record<string, string | boolean | string[] | undefined>;

export type CliParse =
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'ok'; readonly values: CliValues; readonly positionals: string[] };

const HELP: CliOption = { type: 'boolean', short: 'h', help: 'this usage, and nothing else' };

/** The usage text: synopsis, options (with --help), notes. */
export const usageOf = (spec: CliSpec): string => {
  const options = Object.entries({ ...spec.options, help: HELP }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${flag.padEnd(22)} ${o.help}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return [
    `${spec.name}: ${spec.summary}`,
    'usage:',
    ...spec.synopsis.map((s) => `  npm run ${spec.name}${s ? ` -- ${s}` : ''}`),
    'options:',
    ...options,
    ...(spec.notes ?? []),
  ].join('\n');
};

/**
 * `--help` or `-h` anywhere (before `--`) wins over everything else; then
 * the first unknown option or missing value is the error. `--flag=value`,
 * `--flag value`, `-f value`; `--` ends the options.
 */
export const parseCli = (spec: CliSpec, argv: readonly string[]): CliParse => {
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  if (flags.some((a) => a === '--help' || a === '-h')) return { kind: 'help' };
  const byShort = new Map(Object.entries(spec.options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const values: CliValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (i === end) {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = long ? arg.indexOf('=') : -1;
    const given = eq < 0 ? arg : arg.slice(0, eq);
    const name = long ? given.slice(2) : byShort.get(given.slice(1));
    const option = name === undefined ? undefined : spec.options[name];
    if (!option || name === undefined) return { kind: 'error', message: `unknown option ${given}` };
    let value: string | boolean;
    if (option.type === 'boolean') {
      if (eq >= 0) return { kind: 'error', message: `${given} takes no value` };
      value = true;
    } else if (eq >= 0) {
      value = arg.slice(eq + 1);
      if (value === '') return { kind: 'error', message: `${given} needs a value` };
    } else {
      const next = argv[i + 1];
      if (next === undefined || i + 1 === end || (next.startsWith('-') && next !== '-')) return { kind: 'error', message: `${given} needs a value` };
      value = next;
      i++;
    }
    if (option.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), String(value)];
    else if (values[name] !== undefined) return { kind: 'error', message: `--${name} given twice` };
    else values[name] = value;
  }
  return { kind: 'ok', values, positionals };
};

/** What a CLI's main does with a parse that is not `ok`: the usage on stdout (exit 0) or the error and the usage on stderr (exit 2). */
export type CliArgs = { readonly values: CliValues; readonly positionals: string[] };

/**
 * Parses `argv` (process.argv.slice(2)) for a CLI's main: on `--help` prints
 * the usage to stdout and exits 0; on an error prints it, then the usage, to
 * stderr and exits 2. Either way nothing else runs.
 */
export const argsOrExit = (spec: CliSpec, argv: readonly string[] = process.argv.slice(2)): CliArgs => {
  const parsed = parseCli(spec, argv);
  if (parsed.kind === 'help') {
    // Written synchronously: the process exits next, and a pipe's asynchronous write could be lost.
    writeSync(1, `${usageOf(spec)}\n`);
    process.exit(0);
  }
  if (parsed.kind === 'error') usageExit(spec, parsed.message);
  return parsed as CliArgs;
};

/** A usage error found after parsing (a missing argument, say): the message and the usage on stderr, exit 2. */
export const usageExit = (spec: CliSpec, message: string): never => {
  writeSync(2, `${spec.name}: ${message}\n${usageOf(spec)}\n`);
  process.exit(2);
};

/** A string option's value (the last, were it repeatable). */
export const stringOf = (values: CliValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
};

/** A repeatable option's values. */
export const listOf = (values: CliValues, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};
