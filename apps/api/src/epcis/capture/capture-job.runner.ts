import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CredentialStore } from '../../access/credential-store';
import type { RequestContext } from '../../common/http/request-context';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import type { CaptureErrorBehaviour, CaptureJobDto, CaptureJobErrorDto, CaptureJobFailureDto } from './capture-job';
import { CaptureJobRepository, type ClaimedJob } from './capture-job.repository';
import { CAPTURE_BATCH_EVENTS, CaptureRecorder } from './capture-recorder';

/** Runs of one background job (its first included): a job whose process stops this often is failed, CAPTURE_INTERRUPTED, rather than tried for ever. */
export const MAX_JOB_ATTEMPTS = 4;

/** Tries of one slice of a background job before the job fails (CAPTURE_FAILED). */
const SLICE_ATTEMPTS = 3;

/** Reads events [from, to) of a document. */
type EventSource = (from: number, to: number) => Promise<readonly unknown[]>;

const failure = (code: string, message: string): CaptureJobFailureDto => ({ code, message });

/**
 * Runs capture jobs. A document of up to EPCIS_CAPTURE_INLINE_EVENTS events
 * is captured inside its request; a larger one is stored with its events
 * (capture-job.repository.ts) and captured in the background, a slice of
 * CAPTURE_BATCH_EVENTS at a time, its progress written after each. This
 * process holds its background jobs by a lease it renews (EPCIS_CAPTURE_LEASE_MS);
 * each process sweeps for jobs whose lease ran out (their process died) at
 * start and then every half lease, and resumes them from the last slice
 * written (a slice recorded but not yet written is recorded again: its
 * scans are idempotent by eventID, nothing doubles), or fails them with a
 * reason (the key was revoked; too many attempts). One background job at a
 * time per process: they queue, their leases renewed meanwhile.
 */
@Injectable()
export class CaptureJobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EpcisCapture');
  /** This process, as the holder of a lease. */
  private readonly owner = randomUUID();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** The background jobs this process holds (queued or running). */
  private readonly held = new Set<string>();
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(CaptureJobRepository) private readonly jobs: CaptureJobRepository,
    @Inject(CaptureRecorder) private readonly recorder: CaptureRecorder,
    @Inject(CredentialStore) private readonly credentials: CredentialStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get inlineEvents(): number {
    return this.config.epcisCapture.inlineEvents;
  }

  private get leaseMs(): number {
    return this.config.epcisCapture.leaseMs;
  }

  onApplicationBootstrap(): void {
    const every = (ms: number, work: () => Promise<void>) => {
      const timer = setInterval(() => void work().catch((e: unknown) => this.logger.warn(`capture jobs: ${(e as Error).message}`)), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(Math.floor(this.leaseMs / 3), async () => {
      if (this.held.size > 0) await this.jobs.renew(this.owner, this.leaseMs);
    });
    every(Math.floor(this.leaseMs / 2), () => this.sweep());
    void this.sweep().catch((e: unknown) => this.logger.warn(`capture jobs: ${(e as Error).message}`));
  }

  /** Stops at the running job's next slice and lets go of every job held, so another process resumes them without waiting for the lease. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    await this.queue;
    if (this.held.size > 0) await this.jobs.release(this.owner).catch(() => undefined);
  }

  /** A document captured inside its request: the finished job, stored. */
  async captureInline(events: readonly unknown[], context: RequestContext, behaviour: CaptureErrorBehaviour): Promise<CaptureJobDto> {
    const createdAt = new Date().toISOString();
    // The recorder applies the behaviour to the whole document: rollback records all or nothing.
    const { errors, position } = await this.recorder.record(events, context, behaviour);
    const job: CaptureJobDto = {
      captureID: randomUUID(),
      running: false,
      success: errors.length === 0,
      captureErrorBehaviour: behaviour,
      createdAt,
      finishedAt: new Date().toISOString(),
      eventCount: events.length,
      eventsDone: events.length,
      position,
      errors,
      failure: null,
    };
    await this.jobs.save(job, context.principal.keyId);
    return job;
  }

  /** A document stored as a running job held by this process and queued to be captured here: the job as it starts. */
  async startInBackground(events: readonly unknown[], context: RequestContext, behaviour: CaptureErrorBehaviour): Promise<CaptureJobDto> {
    const job: CaptureJobDto = {
      captureID: randomUUID(),
      running: true,
      success: false,
      captureErrorBehaviour: behaviour,
      createdAt: new Date().toISOString(),
      finishedAt: null,
      eventCount: events.length,
      eventsDone: 0,
      position: 0,
      errors: [],
      failure: null,
    };
    const origin = { keyId: context.principal.keyId, correlationId: context.correlationId, requestId: context.requestId };
    await this.jobs.start(job, origin, events, this.owner, this.leaseMs);
    this.enqueue(job.captureID, () => this.run({ captureId: job.captureID, keyId: origin.keyId, behaviour, eventCount: events.length, eventsDone: 0, attempts: 1, correlationId: context.correlationId, requestId: context.requestId ?? null }, context));
    return job;
  }

  private enqueue(captureId: string, work: () => Promise<void>): void {
    this.queued++;
    this.held.add(captureId);
    this.queue = this.queue
      .then(work)
      .catch((e: unknown) => this.logger.error(`capture job: ${(e as Error).stack ?? String(e)}`))
      .finally(() => {
        this.queued--;
        this.held.delete(captureId);
      });
  }

  /** Takes over one abandoned job when nothing is queued here (so the work spreads over the processes), then the next. */
  private async sweep(): Promise<void> {
    while (!this.stopping && this.queued === 0) {
      const claimed = await this.jobs.claimAbandoned(this.owner, this.leaseMs);
      if (!claimed) return;
      this.logger.log(`capture ${claimed.captureId}: taken over at event ${claimed.eventsDone} of ${claimed.eventCount} (attempt ${claimed.attempts})`);
      if (claimed.attempts > MAX_JOB_ATTEMPTS) {
        await this.jobs.finish(claimed.captureId, this.owner, failure('CAPTURE_INTERRUPTED', `its api process stopped ${claimed.attempts - 1} times before it ended; events from ${claimed.eventsDone} on were not judged: send them again`));
        continue;
      }
      const principal = await this.credentials.principalOf(claimed.keyId);
      if (!principal) {
        await this.jobs.finish(claimed.captureId, this.owner, failure('CAPTURE_KEY_REVOKED', `the key was revoked before the capture ended; events from ${claimed.eventsDone} on were not judged`));
        continue;
      }
      // The key's scope as it is now; the events name the request that sent the document.
      const context: RequestContext = { principal, correlationId: claimed.correlationId, ...(claimed.requestId ? { requestId: claimed.requestId } : {}) };
      this.enqueue(claimed.captureId, () => this.run(claimed, context));
    }
  }

  /** A slice tried again after a failure (the database busy, a 503 deadline) before the job fails: its scans are idempotent. */
  private async retried<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (e) {
        if (attempt >= SLICE_ATTEMPTS || this.stopping) throw e;
        this.logger.warn(`capture slice failed (attempt ${attempt}), trying again: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  }

  /** Captures a held job from where it stands to its end, unless this process stops or loses the lease first (then another goes on). */
  private async run(job: ClaimedJob, context: RequestContext): Promise<void> {
    const { captureId, eventCount, behaviour } = job;
    const read: EventSource = (from, to) => this.jobs.events(captureId, from, to);
    // Rollback is one transaction for the whole document (all or nothing, so a process dying mid-way leaves nothing and the next runs it again); proceed goes a slice at a time, its progress written after each.
    const sliceEvents = behaviour === 'rollback' ? eventCount : CAPTURE_BATCH_EVENTS;
    try {
      for (let from = job.eventsDone; from < eventCount; from += sliceEvents) {
        if (this.stopping) return;
        const to = Math.min(eventCount, from + sliceEvents);
        const slice = await this.retried(() => read(from, to).then((events) => this.recorder.record(events, context, behaviour)));
        if (!(await this.jobs.progress(captureId, this.owner, this.leaseMs, { eventsDone: to, errors: slice.errors, position: slice.position }))) {
          this.logger.warn(`capture ${captureId}: another process holds it now; stopped here at event ${to}`);
          return;
        }
      }
      await this.jobs.finish(captureId, this.owner, null);
    } catch (e) {
      // The database gone: the lease runs out and a process resumes the job. Anything else is ours, and would fail again.
      this.logger.error(`capture ${captureId}: ${(e as Error).stack ?? String(e)}`);
      await this.jobs.finish(captureId, this.owner, failure('CAPTURE_FAILED', 'the capture stopped on an error of ours; events from the last one reported in eventsDone on were not judged')).catch(() => undefined);
    }
  }
}
