import { ValidateIf } from 'class-validator';

/**
 * Like `@IsOptional()`, but only a missing field is optional. `@IsOptional()` also waves an
 * explicit `null` through every other check, so `"intervalSeconds": null` reached the service
 * as a value; with this, null is validated like any other value and refused (400 naming it).
 */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);
