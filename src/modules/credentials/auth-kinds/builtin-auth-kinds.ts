import { AuthKindHandler } from './auth-kind.handler';
import { genericHint, maskTail, maskUrl } from './masking';

const str = { type: 'string', minLength: 1, maxLength: 4096 };

const object = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required,
  additionalProperties: false,
  properties,
});

export const API_KEY: AuthKindHandler = {
  kind: 'api_key',
  defaultSchema: object(['apiKey'], { apiKey: str }),
  hint: (s) => (s.apiKey ? maskTail(s.apiKey) : genericHint(s)),
};

export const WEBHOOK_URL: AuthKindHandler = {
  kind: 'webhook_url',
  defaultSchema: object(['webhookUrl'], { webhookUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 } }),
  hint: (s) => (s.webhookUrl ? maskUrl(s.webhookUrl) : genericHint(s)),
};

export const BEARER: AuthKindHandler = {
  kind: 'bearer',
  defaultSchema: object(['token'], { token: str }),
  hint: (s) => (s.token ? maskTail(s.token) : genericHint(s)),
};

export const BASIC: AuthKindHandler = {
  kind: 'basic',
  defaultSchema: object(['username', 'password'], { username: { type: 'string', minLength: 1, maxLength: 512 }, password: str }),
  hint: (s) => (s.username ? `${s.username.slice(0, 3)}… / …` : genericHint(s)),
};

export const HEADER: AuthKindHandler = {
  kind: 'header',
  defaultSchema: object(['headerName', 'headerValue'], {
    headerName: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", maxLength: 128 },
    headerValue: str,
  }),
  hint: (s) => (s.headerName ? `${s.headerName}: ${maskTail(s.headerValue)}` : genericHint(s)),
};

/** Kinds that need nothing from outside; kinds with dependencies (nango) register themselves at start. */
export const BUILTIN_AUTH_KINDS: AuthKindHandler[] = [API_KEY, WEBHOOK_URL, BEARER, BASIC, HEADER];
