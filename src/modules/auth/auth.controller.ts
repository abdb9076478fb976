import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Public } from '../../core/security/decorators';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';
import { AuthService } from './auth.service';
import { AuthResponseDto, LoginDto, MeResponseDto, RegisterDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @SkipThrottle()
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({ summary: 'Create a tenant and its owner account' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors(400, 409, 429)
  register(@Body() dto: RegisterDto) {
    return this.auth.register(dto);
  }

  @Post('login')
  @Public()
  @SkipThrottle()
  @UseGuards(AuthRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrors(400, 401, 409, 429)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user and tenant' })
  @ApiOkResponse({ type: MeResponseDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }

  @Post('dev-login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Development only (DEV_MODE, never in production): sign in as dev@flowgate.local' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrors(404)
  devLogin() {
    return this.auth.devLogin();
  }
}
