import { ConnectorError } from '../../../connector.types';
import { joinUrl, providerError, redactSecrets, requireSecret, retryAfterSeconds, segment, textReason } from '../provider-call';

const ctx = { credential: { id: 'c1', name: 'news key', authKind: 'api_key' as const, secrets: { apiKey: 'sk-live-123456' } } };

describe('provider-call helpers', () => {
  it('joins base URLs and paths whatever the slashes', () => {
    expect(joinUrl('https://a.test/', '/v2/x')).toBe('https://a.test/v2/x');
    expect(joinUrl('https://a.test/base//', 'v2/x')).toBe('https://a.test/base/v2/x');
  });

  it('encodes path segments so input cannot reach another endpoint', () => {
    expect(segment('a/../b c')).toBe('a%2F..%2Fb%20c');
    expect(() => segment('..')).toThrow(ConnectorError);
    expect(() => segment('')).toThrow(/not a valid path value/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds({ 'retry-after': '7' })).toBe(7);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30);
    expect(retryAfterSeconds({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterSeconds({})).toBeUndefined();
  });

  it('builds "<Provider>: <code> — <message> (<status>)" and retries by status unless told otherwise', () => {
    const e = providerError('NewsAPI', { status: 401, headers: {} }, { code: 'apiKeyInvalid', message: 'Your API key is invalid' }, ctx);
    expect(e.message).toBe('NewsAPI: apiKeyInvalid — Your API key is invalid (401)');
    expect(e).toMatchObject({ retryable: false, status: 401, code: 'apiKeyInvalid' });

    const limited = providerError('X', { status: 429, headers: { 'retry-after': '12' } }, { message: 'slow down' }, ctx);
    expect(limited).toMatchObject({ retryable: true, retryAfterSeconds: 12, message: 'X: slow down (429)' });

    const lock = providerError(
      'Salesforce',
      { status: 400, headers: {} },
      { code: 'UNABLE_TO_LOCK_ROW', message: 'locked', retryable: true },
      ctx,
    );
    expect(lock.retryable).toBe(true);
  });

  it('never lets a credential secret into the message or details', () => {
    const e = providerError(
      'X',
      { status: 400, headers: {} },
      { message: 'bad key sk-live-123456', details: { echo: ['sk-live-123456'] } },
      ctx,
    );
    expect(e.message).toBe('X: bad key [redacted] (400)');
    expect(JSON.stringify(e.details)).not.toContain('sk-live-123456');
    expect(redactSecrets('nothing here', ctx)).toBe('nothing here');
  });

  it('hides fields with a secret name in error details (the shared matcher), whatever the provider echoes', () => {
    const details = {
      error: 'invalid_grant',
      request: { client_secret: 'cs-1', 'X-Auth-Token': 'xat-1', params: [{ secretKey: 'sk-1' }] },
      credentials: { user: 'u-1' },
      tokens_used: 3,
    };
    const e = providerError('X', { status: 400, headers: {} }, { message: 'refused', details }, ctx);
    expect(e.details).toEqual({
      error: 'invalid_grant',
      request: { client_secret: '[redacted]', 'X-Auth-Token': '[redacted]', params: [{ secretKey: '[redacted]' }] },
      credentials: '[redacted]',
      tokens_used: 3,
    });
  });

  it('names what a credential is missing', () => {
    expect(requireSecret('NewsAPI', ctx, 'apiKey')).toBe('sk-live-123456');
    expect(() => requireSecret('NewsAPI', ctx, 'token')).toThrow('NewsAPI: credential "news key" has no token');
    expect(() => requireSecret('NewsAPI', {}, 'apiKey')).toThrow('NewsAPI: this step needs a credential');
  });

  it('shortens text bodies and hides HTML pages', () => {
    expect(textReason({ status: 502, text: '<html><body>Bad gateway</body></html>' })).toBe('HTTP 502 (HTML error page)');
    expect(textReason({ status: 404, text: 'Not Found' })).toBe('Not Found');
    expect(textReason({ status: 500, text: '' })).toBe('HTTP 500');
  });
});
