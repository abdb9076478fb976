import type { components } from '../../api/generated/schema';

export type Member = components['schemas']['MemberDto'];
export type Role = Member['role'];
export type Invitation = components['schemas']['InvitationDto'];
export type CreatedInvitation = components['schemas']['CreatedInvitationDto'];
export type AuditEntry = components['schemas']['AuditEntryDto'];

export const ROLES: Role[] = ['owner', 'admin', 'member'];

/** The roles this person may hand out: only an owner grants (or takes away) `owner`. */
export function grantableRoles(canManageOwners: boolean): Role[] {
  return canManageOwners ? ROLES : ROLES.filter((r) => r !== 'owner');
}
