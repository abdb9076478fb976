import { settlesWithin, withDeadline } from '../deadline';

const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('passes the answer through when it comes in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1000)).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });

  it('rejects with the given message when no answer comes', async () => {
    await expect(withDeadline(never(), 10, 'Redis did not answer')).rejects.toThrow('Redis did not answer');
    await expect(withDeadline(never(), 10)).rejects.toThrow('no answer within 10 ms');
  });
});

describe('settlesWithin', () => {
  it('is true for a promise that resolves or rejects in time, false for one that hangs', async () => {
    expect(await settlesWithin(Promise.resolve(), 1000)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('x')), 1000)).toBe(true);
    expect(await settlesWithin(never(), 10)).toBe(false);
  });
});
