import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` names each bad field',
  401: 'Missing or invalid credentials',
  403: 'Your role does not allow this',
  404: 'Not found (or owned by another tenant)',
  409: 'Conflicts with existing data',
  413: 'Body larger than the limit',
  415: 'Content type not accepted',
  429: 'Rate limited; see Retry-After',
  502: 'An upstream service failed',
  503: 'A dependency is unavailable',
};

/** Documents error responses with the shared error body: `@ApiErrors(400, 404)`. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );

/**
 * The same error responses as plain OpenAPI objects, for routes Nest's scanner cannot see
 * (the Fastify-native webhook route). ErrorResponseDto is in the document's components.
 */
export function errorResponses(
  ...statuses: number[]
): Record<number, { description: string; content: { 'application/json': { schema: { $ref: string } } } }> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
      },
    ]),
  );
}
