import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

const recorded = new WeakMap<INestApplication, string[]>();

/**
 * Starts recording the routes Fastify is given (call before app.init(): Nest
 * registers the controllers' routes then). HEAD routes are Fastify's own
 * copies of each GET, not a controller's.
 */
export const recordRoutes = (app: INestApplication): void => {
  const routes: string[] = [];
  recorded.set(app, routes);
  (app.getHttpAdapter().getInstance() as FastifyInstance).addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
};

/** Every method and path a controller serves, as the router names it (`METHOD /path`). */
export const controllerRoutes = (app: INestApplication): string[] => {
  const routes = recorded.get(app);
  if (!routes) throw new Error('controllerRoutes needs an app made by createTestApp (recordRoutes before init)');
  return [...routes].sort();
};
