import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { AllExceptionsFilter } from '../../core/errors/all-exceptions.filter';
import { AppException } from '../../core/errors/app-exception';
import { DomainError } from '../../core/errors/domain-error';

/**
 * Answers Kong's DomainErrors (KongAdminError, KongUnavailableError, KongBaseConfigError) with
 * the shared error body, through the global filter. Only needed while that filter does not
 * translate DomainError itself; once it does, this filter and its @UseFilters lines go.
 */
@Catch(DomainError)
export class KongErrorFilter implements ExceptionFilter<DomainError> {
  private readonly shared = new AllExceptionsFilter();

  catch(e: DomainError, host: ArgumentsHost): void {
    const headers = e.retryAfterSeconds ? { 'Retry-After': String(e.retryAfterSeconds) } : undefined;
    this.shared.catch(new AppException(e.status, e.code, e.message, e.details, headers), host);
  }
}
