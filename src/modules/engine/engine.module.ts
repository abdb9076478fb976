import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors';
import { StepConnectorsAdapter } from './step-connectors.adapter';
import { EngineService } from './engine.service';
import { STEP_CONNECTORS } from './engine.types';

/** The step runner (templates, core steps, connector calls). No database: callers persist results. */
@Module({
  imports: [ConnectorsModule],
  providers: [EngineService, { provide: STEP_CONNECTORS, useClass: StepConnectorsAdapter }],
  exports: [EngineService, STEP_CONNECTORS],
})
export class EngineModule {}
