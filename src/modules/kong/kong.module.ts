import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { EngineModule } from '../engine';
import { WorkflowsModule } from '../workflows';
import { KongAdminClient } from './admin/kong-admin.client';
import { DblessConfigService } from './deploy/dbless-config.service';
import { DbModeApplier } from './deploy/db-mode.applier';
import { DeploymentSecretsService } from './deploy/deployment-secrets.service';
import { ApiUsageEntity } from './entities/api-usage.entity';
import { KongDeploymentEntity } from './entities/kong-deployment.entity';
import { GatewayEndpointsController } from './gateway/gateway-endpoints.controller';
import { GatewayEndpointsService } from './gateway/gateway-endpoints.service';
import { KongDeploymentsRepository } from './kong-deployments.repository';
import { KongLifecycle } from './kong-lifecycle';
import { KongStatusService } from './kong-status.service';
import { KongTemplatesService } from './kong-templates.service';
import { KongController } from './kong.controller';
import { ApiUsageRepository } from './usage/api-usage.repository';
import { UsageController } from './usage/usage.controller';
import { UsageService } from './usage/usage.service';

/** Kong Gateway: the Admin API client, the five templates, the endpoints Kong routes to, usage metering. */
@Module({
  imports: [TypeOrmModule.forFeature([KongDeploymentEntity, ApiUsageEntity]), WorkflowsModule, EngineModule, AuditModule],
  controllers: [KongController, GatewayEndpointsController, UsageController],
  providers: [
    KongAdminClient,
    KongDeploymentsRepository,
    DeploymentSecretsService,
    DbModeApplier,
    DblessConfigService,
    KongTemplatesService,
    KongStatusService,
    GatewayEndpointsService,
    ApiUsageRepository,
    UsageService,
    KongLifecycle,
  ],
  exports: [KongAdminClient],
})
export class KongModule {}
