import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BlockingReason, EligibilityFacts } from '@app/domain';

@Entity({ name: 'sale_eligibility' })
export class SaleEligibilityEntity {
  @PrimaryColumn({ name: 'stream_id', type: 'text' }) streamId: string;
  @Column({ name: 'trace_code', type: 'text', unique: true }) traceCode: string;
  /** The verdict when last projected; readers judge `facts` again at read time (certificates expire). */
  @Column({ type: 'boolean' }) allowed: boolean;
  @Column({ type: 'jsonb' }) reasons: BlockingReason[];
  @Column({ name: 'lapses_at', type: 'timestamptz', nullable: true }) lapsesAt: Date | null;
  @Column({ type: 'jsonb' }) facts: EligibilityFacts;
  @Column({ name: 'facility_ids', type: 'text', array: true }) facilityIds: string[];
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'bigint' }) position: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
