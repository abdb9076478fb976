/**
 * The condition step's operators, as the engine defines them
 * (src/modules/engine/core-steps/condition.step.ts; test/console/condition-operators.e2e-spec.ts
 * keeps the two lists equal). Unary operators take no right value.
 */
export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'in',
  'not_in',
  'exists',
  'not_exists',
  'empty',
  'not_empty',
] as const;
export const UNARY = new Set(['exists', 'not_exists', 'empty', 'not_empty']);
