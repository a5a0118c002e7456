import { readFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';
import { newToken, tokenDigest } from '../access/access-token';
import { IssueKeyCommand } from './commands/issue-key/issue-key.command';
import { IssueKeyHandler } from './commands/issue-key/issue-key.handler';
import { systemContext } from './system-context';
import { ADMIN_TOKEN_FILE, adminTokenFileOf, EMBEDDED_FALLBACK_FILE } from './admin-token-file';

export { ADMIN_TOKEN_FILE } from './admin-token-file';

/** Any constant; the same in every process, so two api processes starting together create one key. */
const BOOTSTRAP_LOCK = 7_305_003;

/** The token in a file, or null when there is none. */
const tokenIn = async (file: string): Promise<string | null> => {
  try {
    return (await readFile(file, 'utf8')).trim() || null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

/**
 * The first token. With ADMIN_TOKEN set, that is the ADMIN credential.
 * Otherwise, when no ADMIN key is active, one is issued and its token written
 * to this database's file in DATA_DIR (adminTokenFileOf, mode 0600); the log
 * names the file, never the token. Several databases may share one DATA_DIR:
 * each has its own file, and a file is taken as this database's only when
 * its token is an active ADMIN key here, so another database's token is
 * never overwritten nor reported as this one's.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Credentials');
  /** Where the current admin credential is, for the start-up summary. */
  private where = 'not known yet';

  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IssueKeyHandler) private readonly issue: IssueKeyHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The admin token's file (or ADMIN_TOKEN, or a word that none is in DATA_DIR). */
  get adminTokenAt(): string {
    return this.where;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminToken) {
      this.where = 'ADMIN_TOKEN (from the environment)';
      this.logger.log('ADMIN credential: ADMIN_TOKEN from the environment');
      return;
    }
    const embedded = this.config.embeddedDatabase === true;
    const own = adminTokenFileOf(this.config.dataDir, this.config.databaseUrl, embedded);
    const legacy = join(this.config.dataDir, ADMIN_TOKEN_FILE);
    // Where this database's token may be: its own file; for the embedded one also its fallback; else admin.token as earlier versions wrote it.
    const candidates = embedded ? [own, join(this.config.dataDir, EMBEDDED_FALLBACK_FILE)] : [own, legacy];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
      const found: { file: string; ours: boolean }[] = [];
      for (const file of candidates) {
        const token = await tokenIn(file);
        if (token !== null) found.push({ file, ours: await this.isActiveAdmin(runner, token) });
      }
      const ours = found.find((f) => f.ours);
      const foreign = found.filter((f) => !f.ours).map((f) => f.file);
      const [{ n }]: { n: string }[] = await runner.query(`SELECT count(*) AS n FROM api_keys WHERE role = 'ADMIN' AND revoked_at IS NULL`);
      if (ours) {
        this.where = ours.file;
        this.logger.log(`admin token: ${ours.file}`);
        return;
      }
      if (Number(n) > 0) {
        this.where = 'not in DATA_DIR (set ADMIN_TOKEN, or issue an ADMIN key with npm run keys)';
        this.logger.log(
          `admin token: no file in ${this.config.dataDir} holds an ADMIN key of this database${foreign.length ? ` (${foreign.map((f) => basename(f)).join(', ')}: another database's, left as is)` : ''}; set ADMIN_TOKEN, or issue one with npm run keys`,
        );
        return;
      }
      // Never over another database's token. Only admin.token may hold one (earlier versions wrote it for every
      // database): the embedded database then writes its fallback file. A file named for this database is this
      // database's, from before it was reset: replaced.
      const file = embedded && foreign.includes(own) ? join(this.config.dataDir, EMBEDDED_FALLBACK_FILE) : own;
      await this.write(file, foreign.filter((f) => f !== file));
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }

  private async isActiveAdmin(runner: QueryRunner, token: string): Promise<boolean> {
    const rows: unknown[] = await runner.query(`SELECT 1 FROM api_keys WHERE token_sha256 = $1 AND role = 'ADMIN' AND revoked_at IS NULL`, [tokenDigest(token)]);
    return rows.length > 0;
  }

  private async write(file: string, foreign: readonly string[]): Promise<void> {
    const token = newToken();
    // The file first: a key whose token nobody could read would lock the admin out.
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, `${token}\n`, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    try {
      const body = await this.issue.execute(
        new IssueKeyCommand({ name: 'first-start admin', role: 'ADMIN' }, systemContext('system:first-start', 'first start'), token),
      );
      this.where = file;
      const others = foreign.length ? `; ${foreign.map((f) => basename(f)).join(', ')} holds another database's token, left as is` : '';
      this.logger.log(`admin token: ${file} (mode 0600): no ADMIN key existed, issued key ${body.id}${others}`);
    } catch (e) {
      await rm(file, { force: true });
      throw e;
    }
  }
}
