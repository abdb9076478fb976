import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig } from './core/config/app-config';
import { createApp } from './core/http-server/create-app';
import type { OpenApiContributor } from './core/http-server/swagger';
import { webhookOpenApi } from './modules/webhooks/webhook.openapi';

/** What feature modules add to the OpenAPI document beyond Nest's scan (routes registered on Fastify directly). */
export const OPENAPI_CONTRIBUTORS: readonly OpenApiContributor[] = [webhookOpenApi];

/**
 * The Flowgate HTTP application (not listening yet): core's createApp with the app module and the
 * modules' document contributions. Core stays free of features; this is where they meet it.
 */
export function createFlowgateApp(config: AppConfig, options: AppModuleOptions = {}): Promise<NestFastifyApplication> {
  return createApp(config, {
    module: AppModule.register(config, options),
    logDestination: options.logDestination,
    openApiContributors: OPENAPI_CONTRIBUTORS,
  });
}
