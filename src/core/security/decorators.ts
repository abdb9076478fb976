import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from './admin-token.guard';
import { AuthUser, Role } from './auth-user';
import { ErrorResponseDto } from '../errors/error-response.dto';

export const IS_PUBLIC = 'flowgate:isPublic';
export const ROLES_KEY = 'flowgate:roles';

/** No JWT needed (health, webhooks, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these tenant roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Operator route: `X-Admin-Token` instead of a JWT; 404 when no admin token is configured. */
export const AdminRoute = () =>
  applyDecorators(
    Public(),
    UseGuards(AdminTokenGuard),
    ApiSecurity('admin-token'),
    ApiUnauthorizedResponse({ description: 'Missing or wrong X-Admin-Token', type: ErrorResponseDto }),
    ApiNotFoundResponse({ description: 'Admin API disabled (no ADMIN_TOKEN set)', type: ErrorResponseDto }),
  );

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user as AuthUser;
});
