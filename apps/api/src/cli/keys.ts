import '../../../../libs/platform/src/register-aliases';
import { userInfo } from 'node:os';
import { Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/domain';
import { AppendSignal, PostgresEventStore } from '@app/event-store';
import { createInlineHandlers } from '@app/read-models';
import {
  dataSourceOptions,
  envDatabase,
  envEventSigningKey,
  EventKeys,
  openSigningKeys,
  resolveDatabase,
  runMigrationsLocked,
  SigningKeySettings,
  useCliLogging,
} from '@app/platform';
import { CommandExecutor } from '../common/commands/command-executor';
import { FacilityRepository } from '../facilities/facility.repository';
import { IssueKeyCommand } from '../keys/commands/issue-key/issue-key.command';
import { IssueKeyHandler } from '../keys/commands/issue-key/issue-key.handler';
import { IssueKeyRequestDto } from '../keys/commands/issue-key/issue-key.request.dto';
import { RevokeKeyCommand } from '../keys/commands/revoke-key/revoke-key.command';
import { RevokeKeyHandler } from '../keys/commands/revoke-key/revoke-key.handler';
import { ListKeysHandler } from '../keys/queries/list-keys/list-keys.handler';
import { systemContext } from '../keys/system-context';
import { argsOrExit, CliSpec, listOf, parseCli, stringOf, usageOf } from './cli-args';

export const KEYS_CLI: CliSpec = {
  name: 'keys',
  summary: 'issue, list or revoke api keys offline (the first key of a deployment, a lost admin token)',
  synopsis: ['create --role ADMIN|OPERATOR|INSPECTOR|REGULATOR --name NAME [--facility ID]...', 'list', 'revoke KEY_ID'],
  options: {
    role: { type: 'string', value: 'ROLE', help: "create: the key's role" },
    name: { type: 'string', value: 'NAME', help: 'create: a name people know the key by' },
    facility: { type: 'string', multiple: true, value: 'ID', help: 'create: a facility an OPERATOR key acts for' },
  },
  notes: [
    'environment: DATABASE_URL (else the embedded database in DATA_DIR); EVENT_SIGNING_KEY_FILE, as for the api, for create and revoke',
    "create prints the key's token alone on stdout (shown once); running services see changes within AUTH_REFRESH_MS",
  ],
};
const USAGE = usageOf(KEYS_CLI);

/** What the CLI prints and how it ends; `main` turns it into stdout/stderr and an exit code. */
export interface CliOutcome {
  readonly exitCode: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

export interface KeysCliOptions {
  /** MIGRATIONS_DATABASE_URL: the schema owner, for the migrations. */
  readonly migrationsUrl?: string | null;
  /**
   * The event-signing key (EVENT_SIGNING_KEY_FILE, as the api reads it): `create` and `revoke`
   * write key events, which must be signed, or no api would trust them. An Error: why there is none.
   */
  readonly signingKey?: SigningKeySettings | Error;
}

/**
 * The offline twin of /api/keys, for the first key of a deployment or a
 * lost admin token: the same commands, recorded as made by the keys CLI and
 * signed with the api's event-signing key. Running services pick changes up
 * within AUTH_REFRESH_MS.
 */
export const runKeysCli = async (argv: readonly string[], databaseUrl: string, options: KeysCliOptions = {}): Promise<CliOutcome> => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const parsed = parseCli(KEYS_CLI, argv);
  if (parsed.kind === 'help') return { exitCode: 0, stdout: [USAGE], stderr };
  if (parsed.kind === 'error') return { exitCode: 2, stdout, stderr: [`keys: ${parsed.message}`, USAGE] };
  const [verb, ...rest] = parsed.positionals;
  const facilities = listOf(parsed.values, 'facility');
  const writes = verb === 'create' || verb === 'revoke';
  let keys: EventKeys | null = null;
  if (writes) {
    if (!options.signingKey || options.signingKey instanceof Error) {
      return { exitCode: 2, stdout, stderr: [options.signingKey?.message ?? 'no event-signing key: set EVENT_SIGNING_KEY_FILE as for the api'] };
    }
    try {
      keys = await openSigningKeys(options.signingKey);
    } catch (e) {
      return { exitCode: 2, stdout, stderr: [(e as Error).message] };
    }
  }
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  await dataSource.initialize();
  try {
    // The events written before signing are left to the api's start: signatures cannot be undone,
    // and a CLI pointed at the wrong key file would sign that history with it for good.
    await runMigrationsLocked(dataSource, options.migrationsUrl ?? null);
    const store = new PostgresEventStore(
      dataSource,
      new AppendSignal(),
      createInlineHandlers(),
      keys?.signer ?? null,
    );
    const executor = new CommandExecutor(store, dataSource);
    const context = systemContext('system:keys-cli', `keys CLI (${userInfo().username})`);
    if (verb === 'create' && rest.length === 0) {
      const request = plainToInstance(IssueKeyRequestDto, {
        name: stringOf(parsed.values, 'name'),
        role: stringOf(parsed.values, 'role'),
        ...(facilities.length ? { facilityIds: facilities } : {}),
      });
      const errors = await validate(request, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0) {
        return { exitCode: 2, stdout, stderr: [...errors.flatMap((e) => Object.values(e.constraints ?? {})), USAGE] };
      }
      const handler = new IssueKeyHandler(executor, new FacilityRepository(store));
      const body = await handler.execute(new IssueKeyCommand(request, context));
      stderr.push(`issued ${body.role} key ${body.id} (${body.name}${body.facilityIds.length ? `, facilities ${body.facilityIds.join(', ')}` : ''}); its token, shown once:`);
      stdout.push(body.token);
      return { exitCode: 0, stdout, stderr };
    }
    if (verb === 'list' && rest.length === 0) {
      const { keys } = await new ListKeysHandler(dataSource).execute();
      for (const k of keys) {
        stdout.push([k.id, k.role, k.revokedAt ? `revoked ${k.revokedAt}` : 'active', k.name, k.facilityIds.join(',') || '-'].join('\t'));
      }
      return { exitCode: 0, stdout, stderr };
    }
    if (verb === 'revoke' && rest.length === 1) {
      const body = await new RevokeKeyHandler(executor).execute(new RevokeKeyCommand(rest[0], context));
      stdout.push(`revoked ${body.id} at ${body.revokedAt}`);
      return { exitCode: 0, stdout, stderr };
    }
    return { exitCode: 2, stdout, stderr: [USAGE] };
  } catch (e) {
    if (e instanceof DomainError) return { exitCode: 1, stdout, stderr: [`${e.code}: ${e.message}`] };
    throw e;
  } finally {
    await dataSource.destroy();
  }
};

const main = async (): Promise<void> => {
  // Before anything reads the environment or a database: --help and a wrong flag do nothing else.
  argsOrExit(KEYS_CLI);
  // Warnings and errors only unless LOG_LEVEL says otherwise: JSON lines on stderr, the tokens alone on stdout.
  useCliLogging('keys', { LOG_LEVEL: 'warn', ...process.env });
  const logger = new Logger('Keys');
  const settings = envDatabase(process.env);
  let signingKey: SigningKeySettings | Error;
  try {
    signingKey = envEventSigningKey(process.env);
  } catch (e) {
    signingKey = e as Error;
  }
  const database = await resolveDatabase(settings, logger);
  try {
    const outcome = await runKeysCli(process.argv.slice(2), database.url, { migrationsUrl: settings.migrationsDatabaseUrl, signingKey });
    for (const line of outcome.stderr) process.stderr.write(`${line}\n`);
    for (const line of outcome.stdout) process.stdout.write(`${line}\n`);
    process.exitCode = outcome.exitCode;
  } finally {
    await database.embedded?.stop();
  }
};

if (require.main === module) {
  main().catch((e: Error) => {
    new Logger('Keys').error(e.message, e.stack);
    process.exit(1);
  });
}
