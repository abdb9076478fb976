import { AppConfig } from '../../../core/config/app-config';
import { ConnectorError } from '../../connectors';
import { EngineService } from '../engine.service';
import { StepConnectors, StepDefinition } from '../engine.types';
import { RenderBudgetError } from '../render-budget';

const step: StepDefinition = { name: 'legacy', type: 'connector', connector: 'soap', action: 'call', params: { city: '{{trigger.city}}' } };

function engine(invoke: StepConnectors['invoke']) {
  const connectors = { invoke } as unknown as StepConnectors;
  return new EngineService(connectors, {
    workflowLimits: { renderMaxStepBytes: 1000, renderMaxRunBytes: 4000, maxSteps: 50 },
  } as AppConfig);
}

describe('EngineService.runStep: one step on its own (the Kong protocol bridge)', () => {
  it('renders the params against the trigger and calls the connector with the step timeout', async () => {
    const invoke = jest.fn(async () => ({ body: { ok: true } }));
    const { result, cause } = await engine(invoke).runStep({ tenantId: 't', step, trigger: { city: 'Paris' }, stepTimeoutMs: 1234 });
    expect(result).toMatchObject({ status: 'succeeded', input: { city: 'Paris' }, output: { body: { ok: true } } });
    expect(cause).toBeUndefined();
    expect(invoke).toHaveBeenCalledWith(
      expect.objectContaining({ params: { city: 'Paris' }, timeoutMs: 1234, connector: 'soap', action: 'call' }),
    );
  });

  it('a failure keeps the error as thrown next to the recorded step error', async () => {
    const thrown = new ConnectorError('SOAP: timed out after 5 ms', { retryable: true, code: 'TIMEOUT' });
    const { result, cause } = await engine(async () => Promise.reject(thrown)).runStep({
      tenantId: 't',
      step,
      trigger: {},
      stepTimeoutMs: 5,
    });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT', retryable: true } });
    expect(cause).toBe(thrown);
  });

  it('params rendered past the step budget fail the step with the budget error, and the connector is not called', async () => {
    const invoke = jest.fn();
    const { result, cause } = await engine(invoke).runStep({ tenantId: 't', step, trigger: { city: 'x'.repeat(2000) }, stepTimeoutMs: 5 });
    expect(result.status).toBe('failed');
    expect(cause).toBeInstanceOf(RenderBudgetError);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('refuses a condition (nothing follows it)', async () => {
    const condition: StepDefinition = { name: 'c', type: 'condition', params: {} };
    await expect(engine(jest.fn()).runStep({ tenantId: 't', step: condition, trigger: {}, stepTimeoutMs: 5 })).rejects.toMatchObject({
      status: 400,
      code: 'CONDITION_NOT_ALONE',
    });
  });
});
