import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLogAudit } from '@app/event-store';
import { GetLogDigestHandler } from './queries/get-log-digest/get-log-digest.handler';
import { GetLogDigestHttpController } from './queries/get-log-digest/get-log-digest.http.controller';
import { VerifyLogDigestHandler } from './queries/verify-log-digest/verify-log-digest.handler';
import { VerifyLogDigestHttpController } from './queries/verify-log-digest/verify-log-digest.http.controller';
import { VerifyLotChainHandler } from './queries/verify-lot-chain/verify-lot-chain.handler';
import { VerifyLotChainHttpController } from './queries/verify-lot-chain/verify-lot-chain.http.controller';
import { RuntimeRoleCheck } from './runtime-role.check';

/** Tamper evidence for regulators: each lot's hash chain, and a digest of the whole log to keep elsewhere. */
@Module({
  controllers: [VerifyLotChainHttpController, GetLogDigestHttpController, VerifyLogDigestHttpController],
  providers: [
    { provide: EventLogAudit, inject: [getDataSourceToken()], useFactory: (ds: DataSource) => new EventLogAudit(ds) },
    VerifyLotChainHandler,
    GetLogDigestHandler,
    VerifyLogDigestHandler,
    RuntimeRoleCheck,
  ],
})
export class AuditModule {}
