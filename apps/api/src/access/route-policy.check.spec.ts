import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Allow, Public } from './route-policy';
import { RoutePolicyCheck } from './route-policy.check';

@Controller('declared')
class DeclaredController {
  @Get()
  @Allow(['REGULATOR'])
  read() {
    return {};
  }

  @Post()
  @Allow(['OPERATOR'], { operatorScope: { facilityIn: 'body', field: 'facilityId' } })
  write() {
    return {};
  }

  @Get('open')
  @Public({ rateLimited: true })
  open() {
    return {};
  }
}

@Controller('forgotten')
class ForgottenController {
  @Get()
  read() {
    return {};
  }
}

@Controller('careless')
class CarelessController {
  @Post()
  @Allow(['OPERATOR'])
  write() {
    return {};
  }
}

/** A Nest application of these controllers with the start-up check; resolves when it starts. */
const start = async (...controllers: (new () => object)[]) => {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], controllers, providers: [RoutePolicyCheck] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  try {
    await app.init();
    return app.get(RoutePolicyCheck).routes();
  } finally {
    await app.close();
  }
};

describe('RoutePolicyCheck', () => {
  it('starts when every route declares its policy, and lists them', async () => {
    const routes = await start(DeclaredController);
    expect(routes.map((r) => `${r.controller}.${r.handler}:${r.policy?.kind}`).sort()).toEqual([
      'DeclaredController.open:public',
      'DeclaredController.read:roles',
      'DeclaredController.write:roles',
    ]);
  });

  it('refuses to start with a route that declares no policy', async () => {
    await expect(start(DeclaredController, ForgottenController)).rejects.toThrow('ForgottenController.read declares no access policy');
  });

  it('refuses to start with a route that lets operators in without saying how their facilities limit it', async () => {
    await expect(start(CarelessController)).rejects.toThrow('CarelessController.write admits OPERATOR keys without an operatorScope');
  });
});
