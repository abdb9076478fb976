export type Role = 'owner' | 'admin' | 'member';
export const ROLES: Role[] = ['owner', 'admin', 'member'];

/** Who is calling, as the JWT guard leaves it on `request.user`. */
export interface AuthUser {
  userId: string;
  tenantId: string;
  email: string;
  role: Role;
}

export interface JwtPayload {
  sub: string;
  tid: string;
  email: string;
  role: Role;
}
