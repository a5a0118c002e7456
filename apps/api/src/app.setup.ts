import type { NextFunction, Request, Response } from 'express';
import { INestApplication } from '@nestjs/common';
import { ApiExceptionFilter } from './common/http/api-exception.filter';
import { RejectNulPipe } from './common/http/reject-nul.pipe';
import { apiValidationPipe } from './common/http/validation.pipe';

/** Everything about the HTTP surface that main.ts and the e2e tests must share. */
export const configureApp = (app: INestApplication): INestApplication => {
  // Everything lives under /api; anything else gets our JSON 404, not Express's HTML page.
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path === '/api' || req.path.startsWith('/api/') ? next() : res.status(404).json({ code: 'ROUTE_NOT_FOUND', message: 'no such route' }),
  );
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new RejectNulPipe(), apiValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  return app;
};
