import { ConnectorError } from './connector-error';
import { hostAllowedBy } from './host-patterns';

/**
 * What the outbound client knows about the credential a call carries (bound per call by the
 * connector context): where it may be sent, and which values are its secrets.
 */
export interface CredentialScope {
  id: string;
  name: string;
  /** Host patterns (host-patterns.ts) this credential may be sent to. Empty: it may go nowhere. */
  hosts: readonly string[];
  /**
   * The credential's secret values and the forms they travel in (base64 `user:password`): the
   * safety net that drops any header or query value carrying one when a redirect changes origin.
   */
  secretValues: readonly string[];
}

/** Values shorter than this would match ordinary text (and are not worth hiding). */
const MIN_SECRET_LENGTH = 6;

/** The scope for a credential's secrets: the raw values plus every `a:b` pair in base64 (basic auth). */
export function secretFormsOf(secrets: Record<string, string>): string[] {
  const raw = Object.values(secrets).filter((v): v is string => typeof v === 'string' && v.length > 0);
  const forms = new Set(raw.filter((v) => v.length >= MIN_SECRET_LENGTH));
  for (const a of raw) for (const b of raw) if (a !== b) forms.add(Buffer.from(`${a}:${b}`).toString('base64'));
  return [...forms];
}

export function carriesSecret(scope: CredentialScope, value: string): boolean {
  return scope.secretValues.some((s) => value.includes(s));
}

/**
 * Refuses a hop to a host the credential may not go to, before any connection is made. Not
 * retryable: only an owner or admin adding the host to the credential can change the answer.
 */
export function assertHostAllowed(scope: CredentialScope, url: URL): void {
  if (hostAllowedBy(scope.hosts, url)) return;
  const host = url.host;
  const allowed = scope.hosts.length ? scope.hosts.join(', ') : 'none';
  throw new ConnectorError(
    `Credential "${scope.name}" (${scope.id}) may not be sent to ${host} (its allowed hosts: ${allowed}); an owner or admin can add the host to the credential's allowedHosts`,
    {
      retryable: false,
      status: 403,
      code: 'CREDENTIAL_HOST_NOT_ALLOWED',
      details: { credentialId: scope.id, credentialName: scope.name, host },
    },
  );
}
