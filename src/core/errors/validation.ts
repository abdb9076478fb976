import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { documentSchemaProblems } from '../validation/document-schema-check';
import { AppException, ErrorDetail } from './app-exception';

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

const isJsonObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * class-validator, then the document. A DTO body must be a JSON object (Nest's pipe would take a
 * string or an array as an empty object); a missing body stays an empty one, as before. After
 * class-validator passed, the raw body is checked against the schema the document publishes for
 * the DTO (document-schema-check.ts), so what the document refuses is refused here too.
 */
class ContractValidationPipe extends ValidationPipe {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.type === 'body' && this.toValidate(metadata) ? (metadata.metatype as Type<unknown>) : undefined;
    if (dto && value !== undefined && !isJsonObject(value)) {
      throw AppException.validation([{ message: `the request body must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}` }]);
    }
    const result = await super.transform(value, metadata);
    if (dto) {
      const problems = documentSchemaProblems(dto, value ?? {});
      if (problems.length) throw AppException.validation(problems);
    }
    return result;
  }
}

export function createValidationPipe() {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppException.validation(flattenValidationErrors(errors)),
  });
}
