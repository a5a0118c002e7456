import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { Principal } from '@app/domain';
import { AccessGuard, type AuthenticatedRequest } from '../../access/access.guard';
import { bearerToken } from '../../access/access-token';
import { CredentialStore } from '../../access/credential-store';

/**
 * Installs `lane` as the first preHandler of one route (`method` `route`, as
 * Fastify registers it), so no other request pays for a look at its path;
 * start-up fails when no such route was registered (`what` names the lane).
 * Call it before Nest registers its routes.
 */
export const asFirstPreHandler = (server: FastifyInstance, method: string, route: string, lane: preHandlerHookHandler, what: string): void => {
  let installed = false;
  server.addHook('onRoute', (options) => {
    if (options.url !== route || options.method !== method) return;
    const others = options.preHandler === undefined ? [] : [options.preHandler].flat();
    options.preHandler = [lane, ...others];
    installed = true;
  });
  server.addHook('onReady', (done) => done(installed ? undefined : new Error(`no route ${method} ${route} to ${what} on`)));
};

/** What a fast lane needs of its route's access: the pattern Fastify matches, and the caller the guard would admit. */
export interface LaneAccess {
  readonly route: string;
  /** The principal of a token the credential store resolved lately, once the guard's own admitResolved passed it; undefined: the route judges. */
  admit(req: AuthenticatedRequest): Principal | undefined;
}

/**
 * The access of a keyed route (`controller`'s `handler`, under `prefix`) for
 * a lane served before Nest's pipeline: its policy as the guard reads it
 * (start-up fails for a route without keys), checked by the guard itself.
 */
export const laneAccess = (app: INestApplication, prefix: string, controller: Function, handler: Function): LaneAccess => {
  const guard = app.get(AccessGuard);
  const credentials = app.get(CredentialStore);
  const policy = guard.policyOf(handler, controller);
  if (policy.kind !== 'roles') throw new Error(`${controller.name}.${handler.name} is not a keyed route: its fast lane would skip its policy`);
  const route = `/${[prefix, Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)]
    .map((p: string) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/')}`;
  return {
    route,
    admit: (req) => {
      const token = bearerToken(req.headers.authorization);
      const principal = token === null ? undefined : credentials.recentlyResolved(token);
      if (principal === undefined) return undefined;
      try {
        guard.admitResolved(policy, req, token, principal);
        return principal;
      } catch {
        return undefined;
      }
    },
  };
};
