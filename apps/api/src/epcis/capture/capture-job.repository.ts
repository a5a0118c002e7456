import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CaptureJobDto } from './capture-job';

interface JobRow {
  capture_id: string;
  created_at: Date;
  finished_at: Date | null;
  running: boolean;
  success: boolean | null;
  event_count: number;
  position: string;
  errors: CaptureJobDto['errors'];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Capture jobs in PostgreSQL (epcis_capture_jobs), so any api process answers for any job; each belongs to the key that captured it. */
@Injectable()
export class CaptureJobRepository {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async save(job: CaptureJobDto, keyId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO epcis_capture_jobs (capture_id, key_id, created_at, finished_at, running, success, event_count, position, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [job.captureID, keyId, job.createdAt, job.finishedAt, job.running, job.success, job.eventCount, job.position, JSON.stringify(job.errors)],
    );
  }

  /** The job, if this key captured it; another key's is as absent as an unknown one. */
  async find(captureId: string, keyId: string): Promise<CaptureJobDto | null> {
    if (!UUID.test(captureId)) return null;
    const rows: JobRow[] = await this.dataSource.query(
      `SELECT capture_id, created_at, finished_at, running, success, event_count, position, errors FROM epcis_capture_jobs WHERE capture_id = $1 AND key_id = $2`,
      [captureId, keyId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      captureID: r.capture_id,
      running: r.running,
      success: r.success ?? false,
      captureErrorBehaviour: 'proceed',
      createdAt: r.created_at.toISOString(),
      finishedAt: (r.finished_at ?? r.created_at).toISOString(),
      eventCount: r.event_count,
      position: Number(r.position),
      errors: r.errors,
    };
  }
}
