/** Nango's connection-tag rules, shared by connect sessions and the connection list filter. */
import { FakeSession } from './types';

/** zod's email check, which Nango applies to the `end_user_email` tag. */
const TAG_EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export type Issue = { code: string; message: string; path: Array<string | number> };

/** Nango's connection-tag rules; answers the normalised tags (keys lowercased) or the issues. */
export function normaliseTags(input: unknown, path: string[]): { tags: Record<string, string>; issues: Issue[] } {
  const issues: Issue[] = [];
  const tags: Record<string, string> = {};
  if (input === undefined) return { tags, issues };
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return { tags, issues: [{ code: 'invalid_type', message: 'Expected object', path }] };
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > 10) issues.push({ code: 'custom', message: 'Tags can have at most 10 keys', path });
  for (const [k, v] of entries) {
    if (!/^[A-Za-z][A-Za-z0-9_\-./]*$/.test(k) || k.length > 64)
      issues.push({ code: 'custom', message: `Invalid tag key "${k}"`, path: [...path, k] });
    if (typeof v !== 'string' || !v || v.length > 200)
      issues.push({ code: 'custom', message: 'Tag values must be 1 to 200 characters', path: [...path, k] });
    const lower = k.toLowerCase();
    if (lower in tags)
      issues.push({ code: 'custom', message: `Duplicate tag key after case normalization: "${lower}"`, path: [...path, k] });
    if (lower === 'end_user_email' && typeof v === 'string' && !TAG_EMAIL.test(v))
      issues.push({ code: 'custom', message: 'Invalid email', path: [...path, k] });
    tags[lower] = String(v);
  }
  return { tags, issues };
}

/** Tags Nango derives from the deprecated end_user / organization (explicit tags override them). */
export function tagsFromEndUser(endUser: FakeSession['endUser'], organization: FakeSession['organization']): Record<string, string> {
  const out: Record<string, string> = {};
  if (endUser) {
    out.end_user_id = endUser.id;
    if (endUser.email) out.end_user_email = endUser.email;
    if (endUser.display_name) out.end_user_display_name = endUser.display_name;
  }
  if (organization) {
    out.organization_id = organization.id;
    if (organization.display_name) out.organization_display_name = organization.display_name;
  }
  return { ...out, ...(endUser?.tags ?? {}) };
}
