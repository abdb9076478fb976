import { AppException } from '../../errors/app-exception';
import { enqueueWithin } from '../enqueue-within';

const MESSAGE = 'The sync could not be queued (Redis unavailable); try again shortly';

async function refusal(p: Promise<unknown>): Promise<AppException> {
  const e = await p.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(AppException);
  return e as AppException;
}

describe('enqueueWithin', () => {
  it('answers what the work answers when Redis takes it', async () => {
    await expect(enqueueWithin(() => Promise.resolve({ id: 'job-1' }), { ms: 1000, message: MESSAGE })).resolves.toEqual({ id: 'job-1' });
  });

  it('a Redis that never answers becomes 503 QUEUE_UNAVAILABLE with the caller message', async () => {
    const e = await refusal(enqueueWithin(() => new Promise(() => undefined), { ms: 20, message: MESSAGE }));
    expect(e).toMatchObject({ status: 503, code: 'QUEUE_UNAVAILABLE', message: MESSAGE, headers: { 'Retry-After': '5' } });
  });

  it("a refused add becomes the same 503, without Redis's own error text", async () => {
    const work = () => Promise.reject(new Error('Connection is closed.'));
    const e = await refusal(enqueueWithin(work, { ms: 1000, message: MESSAGE }));
    expect(e).toMatchObject({ status: 503, code: 'QUEUE_UNAVAILABLE', message: MESSAGE });
    expect(e.message).not.toContain('Connection is closed');
  });

  it('a synchronous throw is a refusal too', async () => {
    const e = await refusal(
      enqueueWithin(
        () => {
          throw new Error('queue closed');
        },
        { ms: 1000, message: MESSAGE },
      ),
    );
    expect(e.code).toBe('QUEUE_UNAVAILABLE');
  });

  it('an AppException the work throws is its own answer, not a queue refusal', async () => {
    const own = AppException.badRequest('NOPE', 'refused by the work');
    await expect(enqueueWithin(() => Promise.reject(own), { ms: 1000, message: 'x' })).rejects.toBe(own);
  });
});
