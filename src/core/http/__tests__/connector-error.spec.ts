import { DomainError } from '../../errors/domain-error';
import { CONNECTOR_ERROR_CODE, ConnectorError } from '../connector-error';

describe('ConnectorError', () => {
  it('is a DomainError: code, status, retryable and Retry-After for the edges that read DomainError', () => {
    const e = ConnectorError.fromStatus('SWAPI', 429, 'throttled', 7);
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e).toMatchObject({ name: 'ConnectorError', message: 'SWAPI: throttled (429)', retryable: true, retryAfterSeconds: 7 });
  });

  it('keeps the provider status apart as upstreamStatus; status mirrors it only while the provider answered', () => {
    expect(ConnectorError.fromStatus('SWAPI', 404, 'Not found')).toMatchObject({ upstreamStatus: 404, status: 404, retryable: false });
    const timeout = new ConnectorError('Request to x timed out', { retryable: true, code: 'TIMEOUT' });
    expect(timeout.upstreamStatus).toBeUndefined();
    expect(timeout.status).toBe(504);
  });

  it('answers a status that fits the failure when no provider status exists', () => {
    const status = (code?: string) => new ConnectorError('m', { retryable: false, code }).status;
    expect(status('INVALID_PARAMS')).toBe(400);
    expect(status('CONNECT_TIMEOUT')).toBe(504);
    expect(status('CONNECTOR_BUG')).toBe(500);
    expect(status('DNS_NOT_FOUND')).toBe(502);
    expect(new ConnectorError('m', { retryable: false, status: 400, code: 'UNKNOWN_CONNECTOR' })).toMatchObject({ status: 400 });
    expect(new ConnectorError('m', { retryable: false, status: 400 }).upstreamStatus).toBeUndefined();
  });

  it('names a code even when the failure has none, and carries the provider detail as given', () => {
    const e = new ConnectorError('m', { retryable: false, upstreamStatus: 500, details: { faultcode: 'soap:Server' } });
    expect(e.code).toBe(CONNECTOR_ERROR_CODE);
    expect(e.details).toEqual({ faultcode: 'soap:Server' });
  });

  it('fromStatus retries 408, 425, 429 and 5xx only', () => {
    const retryable = (s: number) => ConnectorError.fromStatus('P', s, 'r').retryable;
    expect([408, 425, 429, 500, 503].map(retryable)).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 422].map(retryable)).toEqual([false, false, false, false, false]);
  });
});
