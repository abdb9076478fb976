import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One problem: the field it is about (dotted path, e.g. `steps.0.name`) and what is wrong. */
export class ErrorDetailDto {
  @ApiPropertyOptional({
    example: 'email',
    description: 'The field, as a dotted path into the request (absent when the problem is not about one field)',
  })
  field?: string;
  @ApiProperty({ example: 'email must be an email' }) message: string;
}

/** The one error body (documented once, referenced by every endpoint). */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'Validation failed: email: email must be an email' }) message: string;
  @ApiPropertyOptional({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' }) code?: string;
  @ApiPropertyOptional({
    type: [ErrorDetailDto],
    description: 'One entry per problem: each bad field for validation errors, or extra context (entries may carry more keys, e.g. `slug`)',
    example: [{ field: 'email', message: 'email must be an email' }],
  })
  details?: ErrorDetailDto[];
}
