import { INestApplication } from '@nestjs/common';
import { ApiExceptionFilter } from './common/http/api-exception.filter';
import { apiValidationPipe } from './common/http/validation.pipe';

/** Everything about the HTTP surface that main.ts and the e2e tests must share. */
export const configureApp = (app: INestApplication): INestApplication => {
  app.setGlobalPrefix('api');
  app.useGlobalPipes(apiValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  return app;
};
