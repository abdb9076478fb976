/**
 * Webhooks as Nango sends them: the body serialised with sorted keys, signed with
 * `X-Nango-Hmac-Sha256`; Nango sends no delivery id or timestamp header.
 */
import { createHmac } from 'node:crypto';
import { NangoState } from './state';
import { AuthOperation, FakeNangoConnection, NangoFake } from './types';

/** JSON with object keys sorted at every level: how Nango serialises webhook bodies. */
function stableStringify(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

export function webhookMethods(state: NangoState): Pick<NangoFake, 'signWebhook' | 'authWebhook' | 'sendWebhook'> {
  return {
    signWebhook(rawBody: string) {
      return createHmac('sha256', state.webhookSecret).update(rawBody).digest('hex');
    },
    authWebhook(c: FakeNangoConnection, operation: AuthOperation, success = true) {
      return {
        from: 'nango',
        type: 'auth',
        operation,
        connectionId: c.connectionId,
        providerConfigKey: c.providerConfigKey,
        provider: c.provider,
        environment: 'dev',
        success,
        authMode: 'OAUTH2',
        ...(c.endUser
          ? {
              endUser: {
                endUserId: c.endUser.id,
                organizationId: c.endUser.organization?.id,
                endUserEmail: c.endUser.email,
                tags: c.endUser.tags ?? {},
              },
            }
          : {}),
        tags: c.tags,
        ...(success
          ? {}
          : {
              error: {
                type: operation === 'refresh' ? 'refresh_token_external_error' : 'unknown',
                description: 'The provider rejected the refresh token',
              },
            }),
      };
    },
    async sendWebhook(url: string, body: unknown, o: { signature?: string | null } = {}) {
      const raw = typeof body === 'string' ? body : stableStringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Nango' };
      const signature = o.signature === undefined ? state.fake.signWebhook(raw) : o.signature;
      if (signature !== null) headers['x-nango-hmac-sha256'] = signature;
      const res = await fetch(url, { method: 'POST', headers, body: raw });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* text */
      }
      return { status: res.status, body: parsed };
    },
  };
}
