import { ComparableDefinition, diffDefinitions, escapePointer } from '../versions/workflow-diff';

const base = {
  name: 'Flow',
  description: null,
  trigger: { type: 'webhook' },
  steps: [
    { name: 'a', type: 'transform', params: { x: 1, list: [1, 2] } },
    { name: 'b', type: 'transform', params: { y: 'two' } },
    { name: 'c', type: 'condition', params: { left: '{{steps.a.x}}', operator: 'exists' } },
  ],
  settings: { retries: 0 },
  errorWorkflowId: null,
};

const edit = (over: Partial<ComparableDefinition>): ComparableDefinition => ({ ...base, ...over });

describe('diffDefinitions', () => {
  it('equal definitions have no changes', () => {
    expect(diffDefinitions(base, JSON.parse(JSON.stringify(base)))).toEqual([]);
  });

  it('matches steps by name: an inserted step is one `added`, the steps after it are not `changed`', () => {
    const z = { name: 'z', type: 'transform', params: {} };
    expect(diffDefinitions(base, edit({ steps: [z, ...base.steps] }))).toEqual([{ path: '/steps/0', op: 'added', step: 'z', to: z }]);
    expect(diffDefinitions(edit({ steps: [z, ...base.steps] }), base)).toEqual([{ path: '/steps/0', op: 'removed', step: 'z', from: z }]);
  });

  it('a renamed step is a removal and an addition (names are how later steps refer to it)', () => {
    const renamed = { ...base.steps[1], name: 'bee' };
    expect(diffDefinitions(base, edit({ steps: [base.steps[0], renamed, base.steps[2]] })).map((c) => [c.op, c.path, c.step])).toEqual([
      ['removed', '/steps/1', 'b'],
      ['added', '/steps/1', 'bee'],
    ]);
  });

  it('reports a reorder as the fewest `moved` steps, and changes inside a step with its pointer in the newer side', () => {
    const a2 = { ...base.steps[0], params: { x: 2, list: [1, 2, 3] } };
    const changes = diffDefinitions(base, edit({ steps: [base.steps[1], a2, base.steps[2]] }));
    expect(changes).toEqual([
      // one of the two equally small answers: `a` moved after `b` (rather than `b` before `a`)
      { path: '/steps/1', op: 'moved', step: 'a', from: 0, to: 1 },
      { path: '/steps/1/params/list/2', op: 'added', step: 'a', to: 3 },
      { path: '/steps/1/params/x', op: 'changed', step: 'a', from: 1, to: 2 },
    ]);
  });

  it('compares the top-level fields, nested objects key by key, and escapes pointer tokens', () => {
    const changes = diffDefinitions(
      base,
      edit({ name: 'Other', description: 'now', settings: { retries: 1, 'a/b~c': true }, errorWorkflowId: 'e-1' }),
    );
    expect(changes).toEqual([
      { path: '/name', op: 'changed', from: 'Flow', to: 'Other' },
      { path: '/description', op: 'changed', from: null, to: 'now' },
      { path: '/settings/a~1b~0c', op: 'added', to: true },
      { path: '/settings/retries', op: 'changed', from: 0, to: 1 },
      { path: '/errorWorkflowId', op: 'changed', from: null, to: 'e-1' },
    ]);
    expect(escapePointer('~/')).toBe('~0~1');
  });

  it('against nothing, everything is added', () => {
    const changes = diffDefinitions(null, base);
    expect(new Set(changes.map((c) => c.op))).toEqual(new Set(['added']));
    expect(changes.map((c) => c.path)).toEqual([
      '/name',
      '/description',
      '/trigger',
      '/steps/0',
      '/steps/1',
      '/steps/2',
      '/settings',
      '/errorWorkflowId',
    ]);
  });
});
