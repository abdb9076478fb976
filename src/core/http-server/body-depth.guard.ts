import { AppException } from '../errors/app-exception';

export const MAX_BODY_DEPTH = 64;

/**
 * Depth of a parsed JSON value, walked iteratively: a body nested thousands of levels deep
 * must be refused before recursive code (class-transformer, templates) overflows its stack.
 * Stops as soon as the limit is passed.
 */
export function exceedsDepth(value: unknown, limit = MAX_BODY_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

export function assertBodyDepth(body: unknown): void {
  if (exceedsDepth(body)) {
    throw new AppException(400, 'BODY_TOO_DEEP', `Request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  }
}
