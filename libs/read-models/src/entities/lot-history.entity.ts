import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'lot_history' })
export class LotHistoryEntity {
  @PrimaryColumn({ name: 'trace_code', type: 'text' }) traceCode: string;
  @PrimaryColumn({ type: 'integer' }) version: number;
  @Column({ type: 'bigint' }) position: string;
  @Column({ name: 'event_id', type: 'uuid', unique: true }) eventId: string;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'schema_version', type: 'integer' }) schemaVersion: number;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
  @Column({ name: 'facility_id', type: 'text', nullable: true }) facilityId: string | null;
  @Column({ name: 'scan_id', type: 'text', nullable: true }) scanId: string | null;
  @Column({ type: 'jsonb' }) data: unknown;
  @Column({ type: 'jsonb' }) metadata: Record<string, unknown>;
  @Column({ name: 'projected_at', type: 'timestamptz' }) projectedAt: Date;
  /** The event's chain hash; null only for an event that came by a Kafka message without one. */
  @Column({ type: 'bytea', nullable: true }) hash: Buffer | null;
}
