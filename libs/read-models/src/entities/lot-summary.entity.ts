import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LotState } from '@app/domain';

@Entity({ name: 'lot_summary' })
export class LotSummaryEntity {
  @PrimaryColumn({ name: 'stream_id', type: 'text' }) streamId: string;
  @Column({ name: 'trace_code', type: 'text', unique: true }) traceCode: string;
  @Column({ type: 'jsonb' }) state: LotState;
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'holder_facility_id', type: 'text', nullable: true }) holderFacilityId: string | null;
  @Column({ type: 'text', nullable: true }) importer: string | null;
  @Column({ name: 'origin_country', type: 'text', nullable: true }) originCountry: string | null;
  @Column({ type: 'text', nullable: true }) category: string | null;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'bigint' }) position: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
