import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CaptureErrorBehaviour, CaptureJobDto, CaptureJobErrorDto, CaptureJobFailureDto } from './capture-job';

interface JobRow {
  capture_id: string;
  created_at: Date;
  finished_at: Date | null;
  running: boolean;
  success: boolean | null;
  capture_error_behaviour: CaptureErrorBehaviour;
  event_count: number;
  events_done: number;
  position: string;
  errors: CaptureJobDto['errors'];
  failure: CaptureJobFailureDto | null;
}

/** A background job this process now holds the lease of: what it needs to go on from where the last holder stopped. */
export interface ClaimedJob {
  readonly captureId: string;
  readonly keyId: string;
  readonly behaviour: CaptureErrorBehaviour;
  readonly eventCount: number;
  readonly eventsDone: number;
  /** Runs started, this one included. */
  readonly attempts: number;
  readonly correlationId: string;
  readonly requestId: string | null;
}

/** Who asked for a background job: what its events record as their request. */
export interface JobOrigin {
  readonly keyId: string;
  readonly correlationId: string;
  readonly requestId?: string;
}

/** A slice of a job judged: how far it got, the slice's refusals, the highest position its scans reached. */
export interface JobProgress {
  readonly eventsDone: number;
  readonly errors: readonly CaptureJobErrorDto[];
  readonly position: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Events stored per statement when a background job starts: each statement's JSON stays small (the event loop gets its turns between them). */
const STORE_EVENTS_PER_STATEMENT = 500;

const JOB_COLUMNS = `capture_id, created_at, finished_at, running, success, capture_error_behaviour, event_count, events_done, position, errors, failure`;

/**
 * Capture jobs in PostgreSQL (epcis_capture_jobs), so any api process answers
 * for any job; each belongs to the key that captured it. A background job also
 * keeps its document's events (epcis_capture_job_events) until it ends, and is
 * held by one process at a time through its lease: every write of progress
 * names the holder, so a process that lost the lease writes nothing.
 */
@Injectable()
export class CaptureJobRepository {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  /** A job captured inside its request, finished. */
  async save(job: CaptureJobDto, keyId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO epcis_capture_jobs (capture_id, key_id, created_at, finished_at, running, success, capture_error_behaviour, event_count, events_done, position, errors, failure)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb)`,
      [job.captureID, keyId, job.createdAt, job.finishedAt, job.running, job.success, job.captureErrorBehaviour, job.eventCount, job.eventsDone, job.position, JSON.stringify(job.errors), job.failure === null ? null : JSON.stringify(job.failure)],
    );
  }

  /** A background job, running and held by `owner`, with its document's events: all stored, or (one transaction) none. */
  async start(job: CaptureJobDto, origin: JobOrigin, events: readonly unknown[], owner: string, leaseMs: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO epcis_capture_jobs (capture_id, key_id, created_at, running, capture_error_behaviour, event_count, events_done, position, errors,
                                         lease_owner, lease_until, attempts, correlation_id, request_id)
         VALUES ($1, $2, $3, true, $4, $5, 0, 0, '[]'::jsonb, $6, now() + make_interval(secs => $7 / 1000.0), 1, $8, $9)`,
        [job.captureID, origin.keyId, job.createdAt, job.captureErrorBehaviour, job.eventCount, owner, leaseMs, origin.correlationId, origin.requestId ?? null],
      );
      for (let from = 0; from < events.length; from += STORE_EVENTS_PER_STATEMENT) {
        await m.query(
          `INSERT INTO epcis_capture_job_events (capture_id, index, event)
           SELECT $1, $2 + e.ordinality - 1, e.value FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e`,
          [job.captureID, from, JSON.stringify(events.slice(from, from + STORE_EVENTS_PER_STATEMENT))],
        );
      }
    });
  }

  /** The job's events [from, to), in document order. */
  async events(captureId: string, from: number, to: number): Promise<unknown[]> {
    const rows: { event: unknown }[] = await this.dataSource.query(
      `SELECT event FROM epcis_capture_job_events WHERE capture_id = $1 AND index >= $2 AND index < $3 ORDER BY index`,
      [captureId, from, to],
    );
    return rows.map((r) => r.event);
  }

  /** A slice done: its refusals appended, the lease renewed. False when `owner` no longer holds the job (another process took it over). */
  async progress(captureId: string, owner: string, leaseMs: number, p: JobProgress): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE epcis_capture_jobs SET events_done = $3, errors = errors || $4::jsonb, position = GREATEST(position, $5),
              lease_until = now() + make_interval(secs => $6 / 1000.0)
       WHERE capture_id = $1 AND lease_owner = $2 AND running RETURNING 1`,
      [captureId, owner, p.eventsDone, JSON.stringify(p.errors), p.position, leaseMs],
    );
    return rows.length > 0;
  }

  /** The job ends (done, or failed with a reason); its stored events go. */
  async finish(captureId: string, owner: string, failure: CaptureJobFailureDto | null): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [rows]: [unknown[], number] = await m.query(
        `UPDATE epcis_capture_jobs SET running = false, finished_at = now(), lease_owner = NULL, lease_until = NULL, failure = $3::jsonb,
                success = $3::jsonb IS NULL AND jsonb_array_length(errors) = 0
         WHERE capture_id = $1 AND lease_owner = $2 AND running RETURNING 1`,
        [captureId, owner, failure === null ? null : JSON.stringify(failure)],
      );
      if (rows.length > 0) await m.query(`DELETE FROM epcis_capture_job_events WHERE capture_id = $1`, [captureId]);
    });
  }

  /** Renews the lease of every job `owner` holds (running or waiting its turn). */
  async renew(owner: string, leaseMs: number): Promise<void> {
    await this.dataSource.query(`UPDATE epcis_capture_jobs SET lease_until = now() + make_interval(secs => $2 / 1000.0) WHERE lease_owner = $1 AND running`, [owner, leaseMs]);
  }

  /** Lets go of every job `owner` holds (it is stopping): the next sweep of any process takes them over at once. */
  async release(owner: string): Promise<void> {
    await this.dataSource.query(`UPDATE epcis_capture_jobs SET lease_until = now() WHERE lease_owner = $1 AND running`, [owner]);
  }

  /**
   * Takes over the oldest running job whose lease ran out (its process
   * stopped renewing it), if any: the lease is `owner`'s now, one more
   * attempt counted. SKIP LOCKED: two processes sweeping at once take
   * different jobs.
   */
  async claimAbandoned(owner: string, leaseMs: number): Promise<ClaimedJob | null> {
    const [rows]: [{ capture_id: string; key_id: string; capture_error_behaviour: CaptureErrorBehaviour; event_count: number; events_done: number; attempts: number; correlation_id: string | null; request_id: string | null }[], number] =
      await this.dataSource.query(
        `UPDATE epcis_capture_jobs SET lease_owner = $1, lease_until = now() + make_interval(secs => $2 / 1000.0), attempts = attempts + 1
         WHERE capture_id = (SELECT capture_id FROM epcis_capture_jobs WHERE running AND (lease_until IS NULL OR lease_until < now())
                             ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING capture_id, key_id, capture_error_behaviour, event_count, events_done, attempts, correlation_id, request_id`,
        [owner, leaseMs],
      );
    const r = rows[0];
    if (!r) return null;
    return {
      captureId: r.capture_id,
      keyId: r.key_id,
      behaviour: r.capture_error_behaviour,
      eventCount: r.event_count,
      eventsDone: r.events_done,
      attempts: r.attempts,
      correlationId: r.correlation_id ?? r.capture_id,
      requestId: r.request_id,
    };
  }

  /** The job, if this key captured it; another key's is as absent as an unknown one. */
  async find(captureId: string, keyId: string): Promise<CaptureJobDto | null> {
    if (!UUID.test(captureId)) return null;
    const rows: JobRow[] = await this.dataSource.query(`SELECT ${JOB_COLUMNS} FROM epcis_capture_jobs WHERE capture_id = $1 AND key_id = $2`, [captureId, keyId]);
    const r = rows[0];
    if (!r) return null;
    return {
      captureID: r.capture_id,
      running: r.running,
      success: r.success ?? false,
      captureErrorBehaviour: r.capture_error_behaviour,
      createdAt: r.created_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      eventCount: r.event_count,
      eventsDone: r.events_done,
      position: Number(r.position),
      errors: r.errors,
      failure: r.failure,
    };
  }
}
