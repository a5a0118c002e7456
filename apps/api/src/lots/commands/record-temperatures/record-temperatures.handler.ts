import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LotFamilyRequest } from '@app/domain';
import { eventMetadata, type RequestContext } from '../../../common/http/request-context';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import type { Executed } from '../../../common/commands/command-executor';
import { LotCommandOf, LotCommands } from '../../lot-commands';
import { RecordTemperaturesCommand, RecordTemperaturesOutcome } from './record-temperatures.command';

type RecordTemperatures = Extract<LotFamilyRequest, { type: 'RecordTemperatures' }>;

/**
 * A device's readings for a lot as the lot command they are (for the
 * temperatures route and EPCIS capture's sensor reports alike). No
 * idempotency key: a reading is known by (deviceId, at), so a resend finds
 * every reading logged and records nothing.
 */
export const recordTemperatures = (
  traceCode: string,
  upload: { deviceId: string; readings: readonly { at: string; celsius: number }[] },
  context: RequestContext,
  config: AppConfig,
): LotCommandOf<RecordTemperatures> => ({
  command: {
    type: 'RecordTemperatures',
    traceCode,
    by: context.principal,
    data: { uploadId: randomUUID(), deviceId: upload.deviceId, readings: upload.readings, rules: config.temperatureRules },
  },
  context: { metadata: eventMetadata(context) },
});

@CommandHandler(RecordTemperaturesCommand)
export class RecordTemperaturesHandler implements ICommandHandler<RecordTemperaturesCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ traceCode, request, context }: RecordTemperaturesCommand) {
    const { command, context: recorded } = recordTemperatures(traceCode, request, context, this.config);
    // LotFamilyReads keeps the new readings out of the outcome (they are written beside the event).
    return (await this.lots.run(command, recorded)) as Executed<RecordTemperaturesOutcome>;
  }
}
