/**
 * Paths pino censors in every log line. Anything that can carry a password, token or secret
 * is listed; the wildcard forms catch the same key one or two objects down.
 */
const SECRET_KEYS = [
  'password', 'newPassword', 'currentPassword', 'passwordHash', 'password_hash',
  'token', 'accessToken', 'access_token', 'refreshToken', 'refresh_token', 'idToken', 'apiKey', 'api_key',
  'secret', 'clientSecret', 'client_secret', 'authToken', 'webhookSecret', 'webhookUrl', 'ciphertext', 'secrets',
  'authorization', 'Authorization', 'cookie', 'Cookie',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'req.headers["x-api-key"]',
  'req.headers["x-flowgate-signature"]',
  'req.headers["x-nango-hmac-sha256"]',
  'req.headers["x-kong-usage-secret"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];
