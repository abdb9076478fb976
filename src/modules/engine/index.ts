/** The engine module's public surface: other modules import from here, never from its files. */
export { validateCondition } from './core-steps/condition.step';
export { validateTransform } from './core-steps/transform.step';
export { EngineModule } from './engine.module';
export { EngineService, RunAbortedError } from './engine.service';
export type { SingleStepOutcome, SingleStepRequest } from './engine.service';
export { STEP_CONNECTORS, STEP_TYPES } from './engine.types';
export type { RunOutcome, StepConnectors, StepDefinition, StepError, StepResult, StepType } from './engine.types';
export type { PlannedStepRequest, StepStatus } from './engine.types';
export { RENDER_LIMIT_EXCEEDED, RenderBudgetError } from './render-budget';
export { scrubMessage, toStored } from './stored-value';
export { checkReferences } from './templates/template-analysis';
export { TemplateSyntaxError } from './templates/template-parser';
