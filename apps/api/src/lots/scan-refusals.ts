import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, LotFamilyRequest } from '@app/domain';
import type { LotCommandContext } from './lot-commands';

/** A command the domain refused, as LotCommands saw it settle. */
export interface RefusedCommand {
  readonly command: LotFamilyRequest;
  readonly context: LotCommandContext;
  readonly error: DomainError;
}

/**
 * Scans the domain refused (SALE_BLOCKED, TRADE_BLOCKED, …) record no event,
 * so a regulator would never see them: each is written to scan_refusals,
 * after the refused command's transaction (nothing of it half-applies), one
 * INSERT for a batch's. Listed by GET /api/refusals, counted on the dashboard.
 * Losing one (the database failing just then) must not turn the scanner's
 * answer into another: logged, not thrown.
 */
@Injectable()
export class ScanRefusals {
  private readonly logger = new Logger('ScanRefusals');

  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async record(refused: readonly RefusedCommand[]): Promise<void> {
    const rows = refused.flatMap(({ command, context, error }) => {
      if (command.type !== 'RecordScan') return [];
      const actor = typeof context.metadata.actor === 'object' ? context.metadata.actor : null;
      const { data } = command;
      return [[actor?.keyId ?? null, actor?.name ?? null, data.scanId, command.traceCode, data.facility.id, data.action, error.code, error.message]];
    });
    if (rows.length === 0) return;
    const column = (i: number) => rows.map((r) => r[i]);
    try {
      await this.dataSource.query(
        `INSERT INTO scan_refusals (key_id, key_name, scan_id, trace_code, facility_id, action, code, message)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
        [0, 1, 2, 3, 4, 5, 6, 7].map(column),
      );
    } catch (e) {
      this.logger.warn(`${rows.length} refused scan(s) not written to scan_refusals: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
