import { Command } from '@nestjs/cqrs';
import type { LotFamilyOutcomes } from '@app/domain';
import type { Executed } from '../../../common/commands/command-executor';
import type { RequestContext } from '../../../common/http/request-context';
import { RecordTemperaturesRequestDto } from './record-temperatures.request.dto';

/** The outcome the caller is told (the new readings themselves stay beside the event). */
export type RecordTemperaturesOutcome = Omit<LotFamilyOutcomes['RecordTemperatures'], 'readings'>;

export class RecordTemperaturesCommand extends Command<Executed<RecordTemperaturesOutcome>> {
  constructor(
    readonly traceCode: string,
    readonly request: RecordTemperaturesRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}
