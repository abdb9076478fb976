import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { finishDocument } from '../openapi/document-finisher';

export function buildOpenApiDocument(app: INestApplication, config: Pick<AppConfig, 'version'>): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Flowgate API')
    .setDescription(
      'Integration platform: workflows started by webhooks and schedules, encrypted credentials, ' +
        'connectors, marketplace installations through Nango, and Kong gateway patterns. ' +
        'Sign in with `POST /api/auth/login` (or `dev-login` in development) and use the token with **Authorize**. ' +
        'Every error has the shape `{ statusCode, error, message, code?, details? }`.',
    )
    .setVersion(config.version)
    .build();
  const document = SwaggerModule.createDocument(app, builder, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return finishDocument(document, app);
}

/** Serves `document` (from buildOpenApiDocument) at /docs and /docs-json. */
export function setupSwagger(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Flowgate API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
