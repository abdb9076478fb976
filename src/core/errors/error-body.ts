import { STATUS_CODES } from 'node:http';
import { ErrorDetail } from './app-exception';

/** The shape of every error Flowgate answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: ErrorDetail[];
}

export function errorBody(statusCode: number, message: string, code?: string, details?: ErrorBody['details']): ErrorBody {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (code) body.code = code;
  if (details !== undefined) body.details = details;
  return body;
}
