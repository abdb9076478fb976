import { NangoError, toNangoError } from '../nango.errors';

const axiosError = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
  isAxiosError: true,
  message: `Request failed with status code ${status}`,
  config: { headers: { Authorization: 'Bearer secret-key-must-not-leak' } },
  response: { status, data, headers },
});

describe('toNangoError', () => {
  it('reads Nango’s error body and never keeps the request (it carries the secret key)', () => {
    const e = toNangoError(axiosError(404, { error: { code: 'not_found', message: 'Connection not found' } }));
    expect(e).toMatchObject({ status: 404, code: 'not_found', message: 'Connection not found' });
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain('secret-key-must-not-leak');
    expect(e.toAppException()).toMatchObject({ status: 404, code: 'NANGO_CONNECTION_NOT_FOUND', message: 'Nango: Connection not found' });
  });

  it('names validation errors and maps each class of failure', () => {
    const v = toNangoError(
      axiosError(400, {
        error: { code: 'invalid_body', errors: [{ message: 'Integration does not exist', path: ['allowed_integrations', 0] }] },
      }),
    );
    expect(v.message).toBe('invalid_body (allowed_integrations.0: Integration does not exist)');
    expect(toNangoError(axiosError(404, { error: { code: 'unknown_provider_config', message: 'x' } })).toAppException().code).toBe(
      'NANGO_INTEGRATION_NOT_FOUND',
    );
    const limited = toNangoError(axiosError(429, { error: { code: 'too_many_request' } }, { 'retry-after': '7' }));
    expect(limited).toMatchObject({ retryAfterSeconds: 7, transient: true });
    expect(limited.toAppException()).toMatchObject({ status: 429, headers: { 'Retry-After': '7' } });
    const exhausted = toNangoError(axiosError(424, { error: { code: 'invalid_credentials', message: 'refresh limit' } }));
    expect(exhausted.needsReauth).toBe(true);
    expect(toNangoError(axiosError(400, { error: { code: 'invalid_credentials' } })).needsReauth).toBe(true);
    expect(toNangoError(axiosError(401, { error: { code: 'unknown_account' } })).toAppException()).toMatchObject({
      status: 502,
      code: 'NANGO_AUTH_FAILED',
    });
    expect(toNangoError(axiosError(502, 'Bad gateway')).toAppException()).toMatchObject({ status: 502, code: 'NANGO_UPSTREAM_ERROR' });
    const down = toNangoError({ isAxiosError: true, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(down).toMatchObject({ status: 0, transient: true });
    expect(down.toAppException()).toMatchObject({ status: 503, code: 'NANGO_UNREACHABLE' });
    expect(toNangoError({ isAxiosError: true, code: 'ECONNABORTED' }).code).toBe('timeout');
    const kept = new NangoError(418, 'teapot', 'short and stout');
    expect(toNangoError(kept)).toBe(kept);
  });
});
