import { AppException } from '../app-exception';
import { AllExceptionsFilter } from '../all-exceptions.filter';
import { DomainError } from '../domain-error';
import { isExpectedFailure } from '../expected-failure';

/** A feature error as a module would declare it: nothing but a subclass. */
class SoapFault extends DomainError {
  constructor(message: string) {
    super(message, { code: 'SOAP_FAULT', status: 502, retryable: true, details: [{ field: 'body', message: 'fault' }] });
  }
}

/** An error whose status is someone else's: it says itself what Flowgate answers. */
class UpstreamError extends DomainError {
  constructor() {
    super('upstream said 0', { code: 'upstream_down', status: 0, retryAfterSeconds: 3 });
  }
  override toHttp() {
    return { ...super.toHttp(), status: 503, code: 'UPSTREAM_UNREACHABLE' };
  }
}

const filter = new AllExceptionsFilter();

describe('DomainError', () => {
  it('defaults to a non-retryable 500 and names itself after its class', () => {
    const e = new DomainError('boom', { code: 'BOOM' });
    expect(e).toMatchObject({ name: 'DomainError', code: 'BOOM', status: 500, retryable: false });
    expect(new SoapFault('x').name).toBe('SoapFault');
  });

  it('any subclass becomes the shared body with its status, code and details', () => {
    expect(filter.toBody(new SoapFault('The service failed'))).toEqual({
      body: {
        statusCode: 502,
        error: 'Bad Gateway',
        message: 'The service failed',
        code: 'SOAP_FAULT',
        details: [{ field: 'body', message: 'fault' }],
      },
      headers: {},
    });
  });

  it('retryAfterSeconds becomes a whole-second Retry-After, at least 1', () => {
    const limited = new DomainError('slow down', { code: 'LIMITED', status: 429, retryAfterSeconds: 0.2 });
    expect(filter.toBody(limited)).toEqual({
      body: { statusCode: 429, error: 'Too Many Requests', message: 'slow down', code: 'LIMITED' },
      headers: { 'Retry-After': '1' },
    });
    expect(filter.toBody(new DomainError('later', { code: 'LATER', status: 503, retryAfterSeconds: 7.5 })).headers).toEqual({
      'Retry-After': '8',
    });
  });

  it('an error that overrides its answer is translated by that answer', () => {
    const { body, headers } = filter.toBody(new UpstreamError());
    expect(body).toMatchObject({ statusCode: 503, code: 'UPSTREAM_UNREACHABLE', message: 'upstream said 0' });
    expect(headers).toEqual({ 'Retry-After': '3' });
    expect(isExpectedFailure(new UpstreamError())).toBe(true);
  });

  it('AppException is a DomainError: retryable follows the status, its headers go out as they are', () => {
    const e = AppException.tooManyRequests('Too many attempts', 12);
    expect(e).toBeInstanceOf(DomainError);
    expect(e.retryable).toBe(false);
    expect(AppException.unavailable('DOWN', 'down').retryable).toBe(true);
    expect(filter.toBody(e)).toEqual({
      body: { statusCode: 429, error: 'Too Many Requests', message: 'Too many attempts', code: 'RATE_LIMITED' },
      headers: { 'Retry-After': '12' },
    });
  });

  it('a deliberate 502-504 is an expected failure, a deliberate 500 is not', () => {
    expect(isExpectedFailure(new SoapFault('x'))).toBe(true);
    expect(isExpectedFailure(new DomainError('bug', { code: 'BUG' }))).toBe(false);
    expect(isExpectedFailure(new Error('plain'))).toBe(false);
  });
});
