import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/core/config/load-config';
import { buildOpenApiDocument } from '../src/core/http-server/swagger';
import { renderPostmanCollection } from './postman-collection';

/**
 * `npm run openapi`: writes openapi/openapi.json and the Postman collection generated from it
 * (openapi/flowgate.postman_collection.json). Preview mode builds the module graph
 * without instantiating providers, so no database or Redis is needed.
 */
export async function renderOpenApi(): Promise<string> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const app = await NestFactory.create(AppModule.register(config), new FastifyAdapter(), { preview: true, logger: false });
  const doc = buildOpenApiDocument(app, config);
  await app.close();
  return JSON.stringify(doc, null, 2) + '\n';
}

if (require.main === module) {
  renderOpenApi()
    .then(async (text) => {
      writeFileSync(join(process.cwd(), 'openapi', 'openapi.json'), text);
      writeFileSync(join(process.cwd(), 'openapi', 'flowgate.postman_collection.json'), await renderPostmanCollection(text));
      console.log('wrote openapi/openapi.json and openapi/flowgate.postman_collection.json');
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
