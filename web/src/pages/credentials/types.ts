import type { components } from '../../api/generated/schema';

export type Credential = components['schemas']['CredentialDto'];
export type Connector = components['schemas']['ConnectorDto'];

/** A generic connector (http, soap) has no provider hosts of its own: its credentials must name theirs. */
export function isGeneric(connector: Connector | undefined): boolean {
  return !!connector && connector.defaultHosts === null;
}

/** The kinds a credential can be made for: every kind the connector accepts but `none`. */
export function credentialKinds(connector: Connector | undefined): string[] {
  return (connector?.auth ?? []).filter((k) => k !== 'none');
}

/** API errors under `secrets.<name>` as the secrets form's own field names. */
export function secretErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) if (field.startsWith('secrets.')) out[field.slice(8)] = message;
  return out;
}
