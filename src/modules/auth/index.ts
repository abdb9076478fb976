/** The auth module's public surface: other modules import from here, never from its files. */
export { AuthRateLimitGuard } from './auth-rate-limit.guard';
