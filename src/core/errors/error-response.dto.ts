import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error body (documented once, referenced by every endpoint). */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'Validation failed: email: email must be an email' }) message: string;
  @ApiPropertyOptional({ example: 'VALIDATION_FAILED' }) code?: string;
  @ApiPropertyOptional({
    description: 'Per-field problems for validation errors, or extra context',
    example: [{ field: 'email', message: 'email must be an email' }],
  })
  details?: unknown;
}
