import { Module } from '@nestjs/common';
import { GetRecallHandler } from './queries/get-recall/get-recall.handler';
import { GetRecallHttpController } from './queries/get-recall/get-recall.http.controller';

@Module({ controllers: [GetRecallHttpController], providers: [GetRecallHandler] })
export class RecallsModule {}
