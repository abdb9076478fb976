import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig } from './core/config/app-config';
import { createApp } from './core/http-server/create-app';

/**
 * The Flowgate HTTP application (not listening yet): core's createApp with the app module. Core
 * stays free of features; this is where they meet it.
 */
export function createFlowgateApp(config: AppConfig, options: AppModuleOptions = {}): Promise<NestFastifyApplication> {
  return createApp(config, { module: AppModule.register(config, options), logDestination: options.logDestination });
}
