import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_POLICY, RoutePolicy } from './route-policy';

export interface DeclaredRoute {
  readonly controller: string;
  readonly handler: string;
  readonly policy: RoutePolicy | undefined;
}

/**
 * Refuses to start when a route declares no access policy, or lets operators
 * in without saying how their facilities limit it: a route added without one
 * would otherwise be open, or open to every operator.
 */
@Injectable()
export class RoutePolicyCheck implements OnModuleInit {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  routes(): DeclaredRoute[] {
    return this.discovery.getControllers().flatMap((wrapper) => {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) return [];
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      return this.scanner
        .getAllMethodNames(proto)
        .filter((name) => Reflect.hasMetadata(PATH_METADATA, proto[name] as object) && Reflect.hasMetadata(METHOD_METADATA, proto[name] as object))
        .map((name) => ({
          controller: wrapper.metatype!.name,
          handler: name,
          policy: this.reflector.getAllAndOverride<RoutePolicy | undefined>(ROUTE_POLICY, [proto[name] as () => void, wrapper.metatype as () => void]),
        }));
    });
  }

  onModuleInit(): void {
    const problems = this.routes().flatMap((r) => {
      const where = `${r.controller}.${r.handler}`;
      if (!r.policy) return [`${where} declares no access policy (@Allow or @Public)`];
      if (r.policy.kind === 'roles' && r.policy.roles.includes('OPERATOR') && !r.policy.operatorScope) {
        return [`${where} admits OPERATOR keys without an operatorScope`];
      }
      return [];
    });
    if (problems.length > 0) throw new Error(`refusing to start: ${problems.join('; ')}`);
  }
}
