import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';
import { ReadDatabase } from './read-database';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database.url, config.database.poolSize),
        // Start even while PostgreSQL is briefly away; readiness reports it.
        retryAttempts: 3,
        retryDelay: 1000,
        // Each feature registers its entities with TypeOrmModule.forFeature.
        autoLoadEntities: true,
      }),
    }),
  ],
  // The logs' read connection (DATABASE_READ_URL, or the primary).
  providers: [ReadDatabase],
  exports: [ReadDatabase],
})
export class DatabaseModule {}
