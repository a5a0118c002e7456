import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';
import { newToken } from '../access/access-token';
import { IssueKeyCommand } from './commands/issue-key/issue-key.command';
import { IssueKeyHandler } from './commands/issue-key/issue-key.handler';
import { systemContext } from './system-context';

/** Any constant; the same in every process, so two api processes starting together create one key. */
const BOOTSTRAP_LOCK = 7_305_003;

export const ADMIN_TOKEN_FILE = 'admin.token';

/**
 * The first token. With ADMIN_TOKEN set, that is the ADMIN credential.
 * Otherwise, when no ADMIN key is active, one is issued and its token written
 * to DATA_DIR/admin.token (mode 0600); the log names the file, never the token.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Credentials');

  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IssueKeyHandler) private readonly issue: IssueKeyHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminToken) {
      this.logger.log('ADMIN credential: ADMIN_TOKEN from the environment');
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
      const [{ n }]: { n: string }[] = await runner.query(`SELECT count(*) AS n FROM api_keys WHERE role = 'ADMIN' AND revoked_at IS NULL`);
      if (Number(n) > 0) return;
      const file = join(this.config.dataDir, ADMIN_TOKEN_FILE);
      const token = newToken();
      // The file first: a key whose token nobody could read would lock the admin out.
      await mkdir(this.config.dataDir, { recursive: true });
      await writeFile(`${file}.tmp`, `${token}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      try {
        const body = await this.issue.execute(
          new IssueKeyCommand({ name: 'first-start admin', role: 'ADMIN' }, systemContext('system:first-start', 'first start'), token),
        );
        this.logger.log(`no ADMIN key existed: issued key ${body.id}; its token is in ${file} (mode 0600)`);
      } catch (e) {
        await rm(file, { force: true });
        throw e;
      }
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }
}
