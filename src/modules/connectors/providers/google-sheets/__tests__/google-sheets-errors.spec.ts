import { providerError } from '../../shared/provider-call';
import { sheetsFailure, tokenEndpointError } from '../google-sheets-errors';

const ctx = {
  credential: { id: 'c', name: 'sheets', authKind: 'google_service_account', secrets: { accessToken: 'ya29.secret-token-value' } },
};
const google = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => ({
  status,
  headers: {} as Record<string, string>,
  text: '',
  body: { error: { code: status, message, status: code, ...extra } },
});
const map = (res: ReturnType<typeof google>, opts = { principal: 'serviceAccount:bot@p.iam.gserviceaccount.com', viaNango: false }) =>
  providerError('Google Sheets', res, sheetsFailure(res, opts), ctx);

describe('Google Sheets error table', () => {
  it('400 INVALID_ARGUMENT: not retryable, Google’s message (the range named)', () => {
    const e = map(google(400, 'INVALID_ARGUMENT', 'Unable to parse range: Sheet9!A1'));
    expect(e).toMatchObject({ retryable: false, status: 400, code: 'INVALID_ARGUMENT' });
    expect(e.message).toBe('Google Sheets: INVALID_ARGUMENT — Unable to parse range: Sheet9!A1 (400)');
  });

  it('401: token rejected, not retryable; through Nango retryable (a fresh token next attempt)', () => {
    const res = google(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    expect(map(res)).toMatchObject({ retryable: false, status: 401, code: 'UNAUTHENTICATED' });
    expect(map(res).message).toContain('token rejected');
    expect(map(res, { principal: undefined as unknown as string, viaNango: true }).retryable).toBe(true);
  });

  it('403 PERMISSION_DENIED: not retryable, says whom to share the spreadsheet with', () => {
    const e = map(google(403, 'PERMISSION_DENIED', 'The caller does not have permission'));
    expect(e).toMatchObject({ retryable: false, status: 403, code: 'PERMISSION_DENIED' });
    expect(e.message).toContain('share the spreadsheet with bot@p.iam.gserviceaccount.com');
    const nango = map(google(403, 'PERMISSION_DENIED', 'The caller does not have permission'), {
      principal: undefined as unknown as string,
      viaNango: true,
    });
    expect(nango.message).toContain('the Google account this credential connects');
  });

  it('403 rateLimitExceeded and 429 RESOURCE_EXHAUSTED: retryable, Retry-After carried', () => {
    const quota403 = google(403, 'PERMISSION_DENIED', 'User Rate Limit Exceeded', { errors: [{ reason: 'rateLimitExceeded' }] });
    expect(map(quota403)).toMatchObject({ retryable: true, status: 403 });
    const limited = { ...google(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded'), headers: { 'retry-after': '17' } };
    expect(map(limited)).toMatchObject({ retryable: true, status: 429, code: 'RESOURCE_EXHAUSTED', retryAfterSeconds: 17 });
    const exhausted403 = google(403, 'RESOURCE_EXHAUSTED', 'Quota exceeded');
    expect(map(exhausted403).retryable).toBe(true);
  });

  it('404: spreadsheet not found, not retryable; 500/503: retryable', () => {
    const e = map(google(404, 'NOT_FOUND', 'Requested entity was not found.'));
    expect(e).toMatchObject({ retryable: false, status: 404, code: 'NOT_FOUND' });
    expect(e.message).toContain('spreadsheet not found');
    expect(map(google(500, 'INTERNAL', 'Internal error encountered.')).retryable).toBe(true);
    expect(map(google(503, 'UNAVAILABLE', 'The service is currently unavailable.')).retryable).toBe(true);
  });

  it('never repeats the access token', () => {
    const e = map(google(400, 'INVALID_ARGUMENT', 'bad token ya29.secret-token-value'));
    expect(e.message).not.toContain('ya29.secret-token-value');
  });

  it('token endpoint: invalid_grant not retryable, 5xx retryable', () => {
    const bad = tokenEndpointError({
      status: 400,
      headers: {},
      text: '',
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
    expect(bad).toMatchObject({ retryable: false, code: 'invalid_grant' });
    expect(bad.message).toBe('Google Sheets: the service-account key was rejected (invalid_grant: Invalid JWT Signature.) (400)');
    const down = tokenEndpointError({ status: 503, headers: { 'retry-after': '5' }, text: 'unavailable', body: 'unavailable' });
    expect(down).toMatchObject({ retryable: true, retryAfterSeconds: 5 });
  });
});
