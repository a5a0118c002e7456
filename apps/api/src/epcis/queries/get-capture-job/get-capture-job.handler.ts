import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import type { CaptureJobDto } from '../../capture/capture-job';
import { CaptureJobRepository } from '../../capture/capture-job.repository';
import { GetCaptureJobQuery } from './get-capture-job.query';

/** A capture job, to the key that captured it only: another key's answers as an unknown one (no probing of others' captures). */
@QueryHandler(GetCaptureJobQuery)
export class GetCaptureJobHandler implements IQueryHandler<GetCaptureJobQuery> {
  constructor(@Inject(CaptureJobRepository) private readonly jobs: CaptureJobRepository) {}

  async execute({ captureId, viewer }: GetCaptureJobQuery): Promise<CaptureJobDto> {
    const job = await this.jobs.find(captureId, viewer.keyId);
    if (!job) throw notFound('CAPTURE_JOB_NOT_FOUND', `no capture ${captureId} was made with this key`, { captureId });
    return job;
  }
}
