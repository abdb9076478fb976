import { TemplateProblem } from '../templates/template-analysis';

/**
 * The `transform` core step: its params are the object to build; after template rendering that
 * object is the step's output (`{{steps.<name>.<key>}}` for later steps).
 */
export function validateTransform(params: Record<string, unknown>, field: string): TemplateProblem[] {
  return Object.keys(params).length === 0 ? [{ field, message: 'transform needs at least one field to build' }] : [];
}
