import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EligibilityFacts } from '@app/domain';
import type { LotRecord } from '../projections/lot-record';

@Entity({ name: 'lot_summary' })
export class LotSummaryEntity {
  @PrimaryColumn({ name: 'stream_id', type: 'text' }) streamId: string;
  @Column({ name: 'trace_code', type: 'text', unique: true }) traceCode: string;
  @Column({ type: 'jsonb' }) lot: LotRecord;
  /** What the sale rules read; judged again at read time (certificates expire). */
  @Column({ type: 'jsonb' }) facts: EligibilityFacts;
  /** Every facility the lot is at, was at or is heading to: who may see it. */
  @Column({ name: 'facility_ids', type: 'text', array: true }) facilityIds: string[];
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'holder_facility_id', type: 'text', nullable: true }) holderFacilityId: string | null;
  @Column({ type: 'text', array: true }) importers: string[];
  @Column({ name: 'origin_countries', type: 'text', array: true }) originCountries: string[];
  @Column({ type: 'text', nullable: true }) category: string | null;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'bigint' }) position: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
