import { DynamicModule, Logger, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '@app/platform';
import { createLotProjections, InboxProjector, runRequestedRebuilds } from '@app/read-models';
import { ProjectorHealthHttpController } from './health.http.controller';
import { ProjectorConfig } from './projector-config';
import { ProjectorService } from './projector.service';

@Module({})
export class ProjectorModule {
  static forRoot(config: ProjectorConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, config), migrationsRun: false, retryAttempts: 5, retryDelay: 1000 })],
      controllers: [ProjectorHealthHttpController],
      providers: [
        {
          provide: InboxProjector,
          inject: [getDataSourceToken()],
          useFactory: async (ds: DataSource) => {
            await runMigrationsLocked(ds, config.migrationsDatabaseUrl ?? null);
            const rebuilt = await runRequestedRebuilds(ds);
            if (Object.keys(rebuilt).length) new Logger('Projector').log(`rebuilt as migrations asked: ${JSON.stringify(rebuilt)}`);
            return new InboxProjector(createLotProjections(), ds);
          },
        },
        { provide: ProjectorService, inject: [InboxProjector], useFactory: (inbox: InboxProjector) => new ProjectorService(config.kafka, inbox, config.healEveryMs) },
      ],
    };
  }
}
