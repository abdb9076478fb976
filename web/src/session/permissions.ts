export type Role = 'owner' | 'admin' | 'member';

/**
 * What each role may do, as the API enforces it (MemberDto.role): the console shows a control
 * only to a role the API would let through, so a member never meets a button that answers 403.
 */
const RULES = {
  /** Create, edit, test, delete credentials. */
  'credentials.write': ['owner', 'admin'],
  /** Add members, change roles, remove members, invite. */
  'members.manage': ['owner', 'admin'],
  /** Grant or take away ownership. */
  'owners.manage': ['owner'],
  /** Read the audit log. */
  'audit.read': ['owner', 'admin'],
  /** Workflows, runs, companies, Kong deployments: every role. */
  'workflows.write': ['owner', 'admin', 'member'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof RULES;

export function can(role: Role | undefined, permission: Permission): boolean {
  return !!role && (RULES[permission] as readonly Role[]).includes(role);
}
