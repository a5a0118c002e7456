import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLogAudit } from '@app/event-store';
import type { EventKeys } from '@app/platform';
import { EVENT_KEYS } from '../config/config.tokens';
import { GetLogDigestHandler } from './queries/get-log-digest/get-log-digest.handler';
import { ListSigningKeysHandler } from './queries/list-signing-keys/list-signing-keys.handler';
import { ListSigningKeysHttpController } from './queries/list-signing-keys/list-signing-keys.http.controller';
import { GetLogDigestHttpController } from './queries/get-log-digest/get-log-digest.http.controller';
import { VerifyLogDigestHandler } from './queries/verify-log-digest/verify-log-digest.handler';
import { VerifyLogDigestHttpController } from './queries/verify-log-digest/verify-log-digest.http.controller';
import { VerifyLotChainHandler } from './queries/verify-lot-chain/verify-lot-chain.handler';
import { VerifyLotChainHttpController } from './queries/verify-lot-chain/verify-lot-chain.http.controller';
import { RuntimeRoleCheck } from './runtime-role.check';

/**
 * Tamper evidence for regulators: each lot's hash chain and signatures, a
 * signed digest of the whole log to keep elsewhere and check later, and the
 * public keys anyone may check signatures with.
 */
@Module({
  controllers: [VerifyLotChainHttpController, GetLogDigestHttpController, VerifyLogDigestHttpController, ListSigningKeysHttpController],
  providers: [
    // Checks signatures with the public keys of EVENT_SIGNING_KEY_FILE, never with keys read from the database.
    { provide: EventLogAudit, inject: [getDataSourceToken(), EVENT_KEYS], useFactory: (ds: DataSource, keys: EventKeys) => new EventLogAudit(ds, keys.ring) },
    VerifyLotChainHandler,
    GetLogDigestHandler,
    VerifyLogDigestHandler,
    ListSigningKeysHandler,
    RuntimeRoleCheck,
  ],
})
export class AuditModule {}
