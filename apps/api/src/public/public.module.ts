import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { ShopperPageHttpController } from './pages/shopper-page/shopper-page.http.controller';
import { GetPublicLotHandler } from './queries/get-public-lot/get-public-lot.handler';
import { GetPublicLotHttpController } from './queries/get-public-lot/get-public-lot.http.controller';

@Module({ imports: [FacilitiesModule], controllers: [GetPublicLotHttpController, ShopperPageHttpController], providers: [GetPublicLotHandler] })
export class PublicModule {}
