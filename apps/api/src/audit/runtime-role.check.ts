import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventLogAudit } from '@app/event-store';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';

/**
 * Says so at start when the role the api runs as could rewrite history:
 * then only the append-only trigger (which an owner can disable) stands in
 * the way, and only the hash chain and a kept digest would tell.
 */
@Injectable()
export class RuntimeRoleCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(EventLogAudit) private readonly audit: EventLogAudit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The embedded database is a single-user development setup: its superuser is expected there.
    if (this.config.embeddedDatabase) return;
    // Advice, not a start condition: a failed look is reported, not fatal.
    const found = await this.audit.eventsWritePrivileges().catch((e: Error) => {
      this.logger.warn(`could not read the database role's privileges on events: ${e.message}`);
      return null;
    });
    if (!found || found.privileges.length === 0) return;
    const { role, privileges } = found;
    this.logger.warn(
      `database role "${role}" may ${privileges.join(', ')} the events table: run the api as a runtime role without them ` +
        `(DATABASE_URL) and migrations as the owner (MIGRATIONS_DATABASE_URL); see docker-compose.yml`,
    );
  }
}
