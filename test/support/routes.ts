import type { INestApplication } from '@nestjs/common';

type Layer = { route?: { path: string; methods: Record<string, boolean>; stack: { handle: { name: string } }[] } };

/**
 * Every method and path a controller serves, as the Express router names it
 * (`METHOD /path`). Only controllers' routes: Nest also mounts its not-found
 * handler as an all-methods route on a path excluded from the global prefix
 * (/metrics); its handlers are not named `Controller.method`.
 */
export const controllerRoutes = (app: INestApplication): string[] => {
  const server = app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  const served = (layer: Layer) => layer.route !== undefined && layer.route.stack.some((s) => s.handle.name.includes('.'));
  return server.router.stack
    .flatMap((layer) => (served(layer) ? Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : []))
    .sort();
};
