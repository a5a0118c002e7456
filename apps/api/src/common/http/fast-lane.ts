import type { FastifyInstance, preHandlerHookHandler } from 'fastify';

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
