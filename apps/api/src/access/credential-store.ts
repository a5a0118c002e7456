import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@app/domain';
import { EventLogAudit } from '@app/event-store';
import type { EventKeys } from '@app/platform';
import { APP_CONFIG, EVENT_KEYS } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';
import { sameSecret, tokenDigest, TOKEN_PATTERN } from './access-token';
import { judgeKeyRows, KeyRow } from './signed-credentials';

/** The credential ADMIN_TOKEN stands for; it lives in the environment, not in the key table. */
/** Bounds the shortcut from raw token to principal; cleared whole when full (it refills with the tokens in use). */
const RECENT_TOKENS = 10_000;

export const ENV_ADMIN: Principal = { keyId: 'env:ADMIN_TOKEN', name: 'ADMIN_TOKEN', role: 'ADMIN', facilityIds: [] };

/**
 * Token -> principal, answered from memory: every key of the `api_keys`
 * table is mirrored here, so a request costs no database round-trip. The
 * mirror follows the table by polling `change_seq` (every AUTH_REFRESH_MS,
 * default 250 ms), so a key revoked by any process stops working here within
 * that interval. A token not in the mirror triggers one refresh (shared by
 * every request waiting on it) before it is refused: a key issued a moment ago
 * by another process works at once. A row enters the mirror only if it says
 * what its key's signed events say (judgeKeyRows), checked as it is loaded:
 * a row written by someone holding only database credentials is no credential.
 */
@Injectable()
export class CredentialStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Credentials');
  private readonly active = new Map<string, Principal>();
  /** Each key's token digest in `active`, so a row whose digest changed leaves no stale entry behind. */
  private readonly digestOf = new Map<string, string>();
  /** The same principals by key id: what work done for a key later (a webhook delivery) is judged by. */
  private readonly byKeyId = new Map<string, Principal>();
  private readonly audit: EventLogAudit;
  /** Tokens resolved lately, to their principal: a hot retailer token costs no SHA-256 per request. */
  private readonly recent = new Map<string, Principal>();
  private seq = 0;
  private refreshing: Promise<void> | null = null;
  private loaded: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_KEYS) keys: EventKeys,
  ) {
    this.audit = new EventLogAudit(dataSource, keys.ring);
  }

  onApplicationBootstrap(): void {
    this.loaded = this.refresh();
    this.loaded.catch((e: Error) => this.logger.error(`could not load credentials: ${e.message}`));
    const tick = () => {
      this.timer = setTimeout(() => {
        this.refresh()
          .catch((e: Error) => this.logger.warn(`credential refresh failed: ${e.message}`))
          .finally(() => this.timer && tick());
      }, this.config.authRefreshMs);
    };
    tick();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The principal a bearer token stands for, or null (unknown, revoked, malformed). */
  async resolve(token: string): Promise<Principal | null> {
    const seen = this.recentlyResolved(token);
    if (seen) return seen;
    if (this.config.adminToken && sameSecret(token, this.config.adminToken)) return ENV_ADMIN;
    if (!TOKEN_PATTERN.test(token)) return null;
    const digest = tokenDigest(token);
    await this.ready();
    const known = this.active.get(digest) ?? (await this.refresh(), this.active.get(digest));
    if (!known) return null;
    // Known tokens only (an unknown one must not grow this), so the next request skips the hash.
    if (this.recent.size >= RECENT_TOKENS) this.recent.clear();
    this.recent.set(token, known);
    return known;
  }

  /**
   * A key's token resolved lately, answered without hashing or waiting (the
   * retailer's read asks this first); undefined for any other token, the
   * admin's included: resolve() answers those. Only tokens of key rows are
   * kept, so looking here first decides nothing resolve() would not.
   */
  recentlyResolved(token: string): Principal | undefined {
    return this.recent.get(token);
  }

  /**
   * The principal of an active key by its id, as of the last refresh (at most
   * AUTH_REFRESH_MS old); null once the key is revoked or was never valid.
   */
  async principalOf(keyId: string): Promise<Principal | null> {
    await this.ready();
    return this.byKeyId.get(keyId) ?? null;
  }

  /** Resolves once the first load is done (requests wait for it instead of being refused). */
  async ready(): Promise<void> {
    if (!this.loaded) this.loaded = this.refresh();
    try {
      await this.loaded;
    } catch {
      this.loaded = this.refresh();
      await this.loaded;
    }
  }

  /** Reads the changes since the last one seen; concurrent callers share one query. */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.pull().finally(() => (this.refreshing = null));
    }
    return this.refreshing;
  }

  private async pull(): Promise<void> {
    // The poll itself stays one cheap statement; a transaction only when something changed.
    const changes: unknown[] = await this.dataSource.query(`SELECT 1 FROM api_keys WHERE change_seq > $1 LIMIT 1`, [this.seq]);
    if (changes.length === 0) return;
    // The rows and their key events from one snapshot, so a key revoked meanwhile is not judged half-way.
    const { rows, judged } = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const changed: (KeyRow & { change_seq: string })[] = await m.query(
        `SELECT key_id, name, role, facility_ids, token_sha256, revoked_at, change_seq FROM api_keys
          WHERE change_seq > $1 ORDER BY change_seq`,
        [this.seq],
      );
      return { rows: changed, judged: changed.length ? await judgeKeyRows(this.audit, changed, m) : [] };
    });
    if (rows.length === 0) return;
    // Any change may concern a token resolved before: start that shortcut afresh.
    this.recent.clear();
    rows.forEach((r, i) => {
      const { principal, problem } = judged[i];
      const before = this.digestOf.get(r.key_id);
      if (before !== undefined) this.active.delete(before);
      this.digestOf.delete(r.key_id);
      this.byKeyId.delete(r.key_id);
      if (principal) {
        this.active.set(r.token_sha256, principal);
        this.digestOf.set(r.key_id, r.token_sha256);
        this.byKeyId.set(r.key_id, principal);
      }
      // Said once per change of the row (the next pull starts after it).
      if (problem) this.logger.warn(`api_keys row ${r.key_id} is not a credential: ${problem} (npm run audit:verify names it too)`);
      this.seq = Math.max(this.seq, Number(r.change_seq));
    });
  }
}
