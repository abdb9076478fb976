import { stepIdempotencyKey } from '../engine.service';

describe('stepIdempotencyKey', () => {
  it('is the same for every attempt of one step of one execution', () => {
    const a = stepIdempotencyKey({ id: 'exec-1', attempt: 1 }, 'charge');
    expect(a).toMatch(/^flowgate-[0-9a-f]{40}$/);
    expect(stepIdempotencyKey({ id: 'exec-1', attempt: 3 }, 'charge')).toBe(a);
  });

  it('differs for another step or another execution', () => {
    const a = stepIdempotencyKey({ id: 'exec-1' }, 'charge');
    expect(stepIdempotencyKey({ id: 'exec-1' }, 'invoice')).not.toBe(a);
    expect(stepIdempotencyKey({ id: 'exec-2' }, 'charge')).not.toBe(a);
  });

  it('is absent without an execution id (a dry run)', () => {
    expect(stepIdempotencyKey({ id: null }, 'charge')).toBeUndefined();
    expect(stepIdempotencyKey(undefined, 'charge')).toBeUndefined();
  });
});
