import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { LotsModule } from '../lots/lots.module';
import { ShopperPageHttpController } from './pages/shopper-page/shopper-page.http.controller';
import { GetPublicLotHandler } from './queries/get-public-lot/get-public-lot.handler';
import { GetPublicLotHttpController } from './queries/get-public-lot/get-public-lot.http.controller';
import { DigitalLinkResolverHttpController } from './resolver/digital-link-resolver.http.controller';
import { ResolverDescriptionHttpController } from './resolver/resolver-description.http.controller';

@Module({
  imports: [FacilitiesModule, LotsModule],
  controllers: [GetPublicLotHttpController, ShopperPageHttpController, DigitalLinkResolverHttpController, ResolverDescriptionHttpController],
  providers: [GetPublicLotHandler],
})
export class PublicModule {}
