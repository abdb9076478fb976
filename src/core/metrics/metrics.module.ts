import { Global, Module } from '@nestjs/common';
import { DatabasePoolMetrics } from './db-pool.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Global()
@Module({ controllers: [MetricsController], providers: [MetricsService, DatabasePoolMetrics], exports: [MetricsService] })
export class MetricsModule {}
