import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyChecksService } from './dependency-checks.service';
import { HealthController } from './health.controller';
import { SystemReportRegistry } from './system-report.registry';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DependencyChecksService, SystemReportRegistry],
  exports: [DependencyChecksService, SystemReportRegistry],
})
export class HealthModule {}
