import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Public } from '../../core/security/decorators';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';
import { AuthService } from './auth.service';
import { AuthOptionsDto, AuthResponseDto, EXAMPLE_EMAIL, EXAMPLE_PASSWORD, LoginDto, MeResponseDto, RegisterDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  // Auth routes skip the global throttle but have their own budget (AuthRateLimitGuard), hence 429.
  @Post('register')
  @Public()
  @SkipThrottle()
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({
    summary: 'Create a tenant and its owner account',
    description:
      'Creates a tenant named `tenantName` and an `owner` account signing in with `email` and `password`, and answers a bearer token for it (use `accessToken` in Authorize). One registration per email: 409 EMAIL_TAKEN when an account with this email exists. Rate limited per client address and per email (429 + Retry-After).',
  })
  @ApiCreatedResponse({ type: AuthResponseDto, description: 'Registered and signed in: the token, the owner account and the new tenant' })
  @ApiErrors(409, 429)
  register(@Body() dto: RegisterDto) {
    return this.auth.register(dto);
  }

  @Post('login')
  @Public()
  @SkipThrottle()
  @UseGuards(AuthRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Answers a bearer token for the account. An email may have accounts in several tenants: when the password opens more than one, the answer is 409 TENANT_REQUIRED whose `details` name their slugs; send one as `tenant`. A wrong email or password is 401 INVALID_CREDENTIALS (the same answer for both). Rate limited per client address and per email (429 + Retry-After).',
  })
  @ApiBody({
    type: LoginDto,
    examples: {
      signIn: { summary: 'Sign in', value: { email: EXAMPLE_EMAIL, password: EXAMPLE_PASSWORD } },
      inTenant: {
        summary: 'Sign in to one of several tenants',
        value: { email: EXAMPLE_EMAIL, password: EXAMPLE_PASSWORD, tenant: 'acme-integrations-1a2b3c' },
      },
    },
  })
  @ApiOkResponse({ type: AuthResponseDto, description: 'Signed in: the token, the account and its tenant' })
  @ApiErrors(401, 409, 429)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }

  // Public: the sign-in page reads it before anyone signs in; it tells nothing more than whether
  // dev-login would answer 404. The global throttle applies as to any route.
  @Get('options')
  @Public()
  @ApiOperation({
    summary: 'What the sign-in page may offer (no token needed)',
    description:
      '`devMode`: whether `POST /api/auth/dev-login` works (DEV_MODE on, never in production); `registration`: whether `POST /api/auth/register` accepts new tenants. The console reads it to show only the sign-in choices that work.',
  })
  @ApiOkResponse({ type: AuthOptionsDto, description: 'The sign-in choices this deployment offers' })
  options(): AuthOptionsDto {
    return this.auth.options();
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The signed-in user and tenant',
    description:
      "Reads the token's account and tenant again (role and email as they are now). 401 TOKEN_INVALID when the account was removed.",
  })
  @ApiOkResponse({ type: MeResponseDto, description: 'The account and its tenant' })
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }

  @Post('dev-login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Development only (DEV_MODE, never in production): sign in as dev@flowgate.local',
    description:
      'Takes no body. Signs in to the shared development account (`dev@flowgate.local`, owner of "Dev tenant"), creating it on first use; nobody can sign in to it with a password. Without DEV_MODE the route does not exist (404).',
  })
  @ApiOkResponse({ type: AuthResponseDto, description: 'Signed in as the development account' })
  @ApiErrors(404, 409)
  devLogin() {
    return this.auth.devLogin();
  }
}
