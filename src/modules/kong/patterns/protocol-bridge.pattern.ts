import { z } from 'zod';
import { AppException } from '../../../core/errors/app-exception';
import { StepDefinition } from '../../engine';
import { definePattern } from './kong-pattern';
import { stepName } from './option-types';

const options = z.strictObject({
  /** Name of the workflow's soap step the bridge runs; default: its first soap step. */
  step: stepName.optional(),
  /** How long Kong waits for Flowgate's bridge answer. */
  read_timeout_ms: z.number().int().min(1000).max(300_000).default(60_000),
});
export type ProtocolBridgeOptions = z.output<typeof options>;

/** REST → SOAP: Kong's route posts JSON to Flowgate's bridge endpoint, which runs the workflow's soap step. */
export const protocolBridge = definePattern({
  name: 'protocol_bridge',
  routeSuffix: 'bridge',
  options,
  upstream: { endpoint: 'bridge' },
  frontsWebhook: false,
  checkWorkflow: (workflow, o) => void bridgeStep(workflow.steps, o),
  plan: (o, kit) => kit.plan([kit.service([kit.route(['POST'], [kit.gatewayHeader()])], { read_timeout: o.read_timeout_ms })]),
});

/** The soap step a protocol bridge runs: the named one, or the workflow's first soap step. */
export function bridgeStep(steps: StepDefinition[], o: ProtocolBridgeOptions): StepDefinition {
  const isSoap = (s: StepDefinition) => s.type === 'connector' && s.connector === 'soap';
  if (o.step) {
    const step = steps.find((s) => s.name === o.step);
    if (!step)
      throw AppException.validation([{ field: 'options.step', message: `options.step: the workflow has no step named "${o.step}"` }]);
    if (!isSoap(step))
      throw AppException.validation([{ field: 'options.step', message: `options.step: step "${o.step}" is not a soap connector step` }]);
    return step;
  }
  const step = steps.find(isSoap);
  if (!step)
    throw AppException.validation([
      { field: 'workflow_id', message: 'workflow_id: a protocol bridge needs a workflow with a soap connector step' },
    ]);
  return step;
}
