export * from './projection';
export * from './projection-engine';
export * from './projection-runner';
export * from './rebuild/online-rebuild';
export * from './rebuild/requested-rebuilds';
export * from './rebuild/rebuild-progress';
export * from './inbox-projector';
export * from './projections/lot-states';
export * from './projections/lot-record';
export * from './projections/lot-summary.projection';
export * from './projections/lot-history.projection';
export * from './projections/sale-eligibility.projection';
export * from './projections/genealogy.projection';
export * from './projections/recalls.projection';
export * from './projections/api-keys.projection';
export * from './projections/lot-documents.projection';
export * from './projections/sightings.projection';
export * from './read-model-changes';
export * from './genealogy.reader';
export * from './document-index.reader';
export * from './temperature-log.store';
export * from './entities/lot-summary.entity';
export * from './entities/lot-history.entity';
export * from './entities/sale-eligibility.entity';
import { LotSummaryEntity } from './entities/lot-summary.entity';
import { LotHistoryEntity } from './entities/lot-history.entity';
import { SaleEligibilityEntity } from './entities/sale-eligibility.entity';
import { CreateLotReadModels1764400001000 } from './migrations/1764400001000-create-lot-read-models';
import { CreateProjectorInbox1764400002000 } from './migrations/1764400002000-create-projector-inbox';
import { AddProjectedAtToLotHistory1764400003000 } from './migrations/1764400003000-add-projected-at-to-lot-history';
import { CreateGenealogyAndRecalls1764400004000 } from './migrations/1764400004000-create-genealogy-and-recalls';
import { CreateApiKeys1764400005000 } from './migrations/1764400005000-create-api-keys';
import { RefoldLotStates1764400009000 } from './migrations/1764400009000-refold-lot-states';
import { CreateLotDocuments1764400010000 } from './migrations/1764400010000-create-lot-documents';
import { AddHashToLotHistory1764400007000 } from './migrations/1764400007000-add-hash-to-lot-history';
import { ReadModelsOwnShapes1764400012000 } from './migrations/1764400012000-read-models-own-shapes';
import { ProjectorParkedLots1764400013000 } from './migrations/1764400013000-projector-parked-lots';
import { MergedOrigins1764400014000 } from './migrations/1764400014000-merged-origins';
import { CreateEpcisCaptureJobs1764400015000 } from './migrations/1764400015000-create-epcis-capture-jobs';
import { CreateSightings1764400016000 } from './migrations/1764400016000-create-sightings';
import { LotRowsRoomToUpdate1764400019200 } from './migrations/1764400019200-lot-rows-room-to-update';
import { CreateWebhookSubscriptions1764400020000 } from './migrations/1764400020000-create-webhook-subscriptions';
import { LotRowsFastCompression1764400021000 } from './migrations/1764400021000-lot-rows-fast-compression';
import { DashboardLists1764400022000 } from './migrations/1764400022000-dashboard-lists';
import { CaptureJobsInTheBackground1764400023000 } from './migrations/1764400023000-capture-jobs-in-the-background';
import { TemperatureUploads1764400024000 } from './migrations/1764400024000-temperature-uploads';

export const READ_MODEL_ENTITIES = [LotSummaryEntity, LotHistoryEntity, SaleEligibilityEntity];
export const READ_MODEL_MIGRATIONS = [
  CreateLotReadModels1764400001000,
  CreateProjectorInbox1764400002000,
  AddProjectedAtToLotHistory1764400003000,
  CreateGenealogyAndRecalls1764400004000,
  CreateApiKeys1764400005000,
  AddHashToLotHistory1764400007000,
  RefoldLotStates1764400009000,
  CreateLotDocuments1764400010000,
  ReadModelsOwnShapes1764400012000,
  ProjectorParkedLots1764400013000,
  MergedOrigins1764400014000,
  CreateEpcisCaptureJobs1764400015000,
  CreateSightings1764400016000,
  LotRowsRoomToUpdate1764400019200,
  CreateWebhookSubscriptions1764400020000,
  LotRowsFastCompression1764400021000,
  DashboardLists1764400022000,
  CaptureJobsInTheBackground1764400023000,
  TemperatureUploads1764400024000,
];
