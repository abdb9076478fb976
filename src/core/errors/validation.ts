import { ArgumentMetadata, Type, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DocumentSchemaCheck } from '../validation/document-schema-check';
import { AppException, ErrorDetail } from './app-exception';
import { assertJsonObjectBody } from './json-object-body';

/** Flattens class-validator's tree into `{ field: "steps.0.name", message }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ field, message: message.startsWith(`property ${e.property} `) ? message : message.replace(/^[^\s]+ /, `${field} `) });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/**
 * class-validator, then the document. A DTO body must be a JSON object (Nest's pipe would take a
 * string or an array as an empty object); a missing body stays an empty one, as before. After
 * class-validator passed, the raw body is checked against the schema the document publishes for
 * the DTO (document-schema-check.ts), so what the document refuses is refused here too.
 */
class ContractValidationPipe extends ValidationPipe {
  private readonly schemas: DocumentSchemaCheck;

  constructor(options: ValidationPipeOptions, document: () => OpenAPIObject) {
    super(options);
    this.schemas = new DocumentSchemaCheck(document);
  }

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.type === 'body' && this.toValidate(metadata) ? (metadata.metatype as Type<unknown>) : undefined;
    if (dto) assertJsonObjectBody(value);
    if (dto && value === '') value = undefined; // an empty body sent with a content type: no body
    const result = await super.transform(value, metadata);
    if (dto) {
      const problems = this.schemas.problems(dto, value ?? {});
      if (problems.length) throw AppException.validation(problems);
    }
    return result;
  }
}

/** The global pipe; `document` builds the OpenAPI document bodies are checked against (see DocumentSchemaCheck). */
export function createValidationPipe(document: () => OpenAPIObject) {
  return new ContractValidationPipe(
    {
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => AppException.validation(flattenValidationErrors(errors)),
    },
    document,
  );
}
