import { Module } from '@nestjs/common';
import { OpenApiDocument } from './openapi.document';
import { OpenApiHttpController } from './openapi.http.controller';
import { SwaggerUiHttpController } from './swagger-ui.http.controller';

/** GET /api/openapi.json and Swagger UI at /api/docs; configureApp points the document at the app. */
@Module({
  controllers: [OpenApiHttpController, SwaggerUiHttpController],
  providers: [OpenApiDocument],
  exports: [OpenApiDocument],
})
export class OpenApiModule {}
