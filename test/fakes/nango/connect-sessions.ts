/**
 * POST /connect/sessions → { data: { token, connect_link, expires_at } } (30 min), and what the
 * customer finishing the Connect UI does. Sessions carry connection tags (keys start with a
 * letter, `[A-Za-z0-9_-./]`, at most 64 characters, lowercased; values 1..200 characters; at
 * most 10; `end_user_email` must be an email); the deprecated `end_user` / `organization` become
 * tags too (explicit tags win). Finishing creates a connection whose id Nango chooses (a random
 * UUID) and which carries the session's tags; nothing is redirected anywhere with that id.
 * Assumption (not verified against the real server): an unknown integration in
 * `allowed_integrations` answers 400 invalid_body naming `allowed_integrations.N` with
 * "Integration does not exist".
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeRoutes } from '../fake-server';
import { api, err, NangoState } from './state';
import { Issue, normaliseTags, tagsFromEndUser } from './tags';
import { FakeSession, NangoFake } from './types';

const SESSION_FIELDS = [
  'end_user',
  'organization',
  'allowed_integrations',
  'integrations_config_defaults',
  'overrides',
  'webhook_url_override',
  'tags',
];

export function connectSessionRoutes(state: NangoState): FakeRoutes {
  return {
    'POST /connect/sessions': api(state, (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const endUser = b.end_user as { id?: unknown; email?: string; display_name?: string; tags?: unknown } | undefined;
      const organization = b.organization as FakeSession['organization'] | undefined;
      const errors: Issue[] = [];
      const extra = Object.keys(b).filter((k) => !SESSION_FIELDS.includes(k));
      if (extra.length)
        errors.push({
          code: 'unrecognized_keys',
          message: `Unrecognized key(s) in object: ${extra.map((k) => `'${k}'`).join(', ')}`,
          path: [],
        });
      // Top-level tags make end_user optional.
      if (!endUser && b.tags === undefined) errors.push({ code: 'invalid_type', message: 'Required', path: ['end_user'] });
      if (endUser && (typeof endUser.id !== 'string' || !endUser.id))
        errors.push({ code: 'invalid_type', message: 'Required', path: ['end_user', 'id'] });
      const explicit = normaliseTags(b.tags, ['tags']);
      const fromEndUser = normaliseTags(endUser?.tags, ['end_user', 'tags']);
      errors.push(...explicit.issues, ...fromEndUser.issues);
      if (b.allowed_integrations !== undefined && !Array.isArray(b.allowed_integrations))
        errors.push({ code: 'invalid_type', message: 'Expected array', path: ['allowed_integrations'] });
      (Array.isArray(b.allowed_integrations) ? b.allowed_integrations : []).forEach((k: unknown, i: number) => {
        if (typeof k !== 'string' || !state.integrations.has(k))
          errors.push({ code: 'custom', message: 'Integration does not exist', path: ['allowed_integrations', i] });
      });
      if (errors.length) return err(400, 'invalid_body', 'Invalid request body', { errors });
      const token = `nango_connect_session_${randomBytes(16).toString('hex')}`;
      const expiresAt = new Date(Date.now() + 30 * 60_000);
      const sessionEndUser = endUser
        ? { id: endUser.id as string, email: endUser.email, display_name: endUser.display_name, tags: fromEndUser.tags }
        : null;
      state.sessions.set(token, {
        token,
        expiresAt,
        endUser: sessionEndUser,
        organization,
        allowedIntegrations: b.allowed_integrations as string[] | undefined,
        tags: { ...tagsFromEndUser(sessionEndUser, organization), ...explicit.tags },
      });
      return {
        status: 201,
        body: { data: { token, connect_link: `https://connect.nango.dev/?session_token=${token}`, expires_at: expiresAt.toISOString() } },
      };
    }),
  };
}

export function connectSessionMethods(state: NangoState): Pick<NangoFake, 'completeConnect'> {
  return {
    completeConnect(
      sessionToken: string,
      o: { integrationId?: string; connectionConfig?: Record<string, unknown>; metadata?: Record<string, unknown> } = {},
    ) {
      const s = state.sessions.get(sessionToken);
      if (!s || s.expiresAt.getTime() < Date.now()) throw new Error('fake Nango: unknown or expired connect session');
      const integrationId = o.integrationId ?? s.allowedIntegrations?.[0];
      if (!integrationId || (s.allowedIntegrations && !s.allowedIntegrations.includes(integrationId)))
        throw new Error('fake Nango: integration not allowed by the session');
      return state.fake.addConnection({
        connectionId: randomUUID(), // Nango chooses the id
        providerConfigKey: integrationId,
        endUser: s.endUser
          ? {
              id: s.endUser.id,
              email: s.endUser.email ?? null,
              display_name: s.endUser.display_name ?? null,
              organization: s.organization ? { id: s.organization.id, display_name: s.organization.display_name ?? null } : null,
              tags: s.endUser.tags ?? null,
            }
          : null,
        tags: { ...s.tags },
        connectionConfig: o.connectionConfig ?? {},
        metadata: o.metadata ?? null,
      });
    },
  };
}
