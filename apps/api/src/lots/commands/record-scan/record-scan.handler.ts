import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { LotCommands } from '../../lot-commands';
import { APP_CONFIG } from '../../../config/config.tokens';
import type { AppConfig } from '../../../config/app-config';
import { recordScan } from './record-scan.mapping';
import { RecordScanCommand } from './record-scan.command';

@CommandHandler(RecordScanCommand)
export class RecordScanHandler implements ICommandHandler<RecordScanCommand> {
  constructor(
    @Inject(LotCommands) private readonly lots: LotCommands,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ request: r, context }: RecordScanCommand) {
    const facility = await this.facilities.get(r.facilityId, 'facilityId');
    const toFacility = r.toFacilityId ? await this.facilities.get(r.toFacilityId, 'toFacilityId') : null;
    const { command, context: recorded } = recordScan(r, context, { facility, toFacility }, this.config);
    return this.lots.run(command, recorded);
  }
}
