import { ConnectorError, ResolvedCredential } from '../../contract';

/** The header a generic-HTTP credential adds to the request (none for kind `none` or no credential). */
export function authHeaders(credential: ResolvedCredential | undefined): Record<string, string> {
  if (!credential) return {};
  const s = credential.secrets;
  switch (credential.authKind) {
    case 'none':
      return {};
    case 'bearer':
      return { authorization: `Bearer ${s.token ?? s.accessToken ?? ''}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${s.username ?? ''}:${s.password ?? ''}`).toString('base64')}` };
    case 'header':
      return { [String(s.headerName).toLowerCase()]: s.headerValue ?? '' };
    case 'nango':
      // Fetched from Nango for this call (see NangoAuthKind); never stored.
      return { authorization: `Bearer ${s.accessToken ?? ''}` };
    default:
      throw new ConnectorError(`HTTP: credential kind "${credential.authKind}" is not supported by this connector`, {
        retryable: false,
        code: 'CREDENTIAL_INVALID',
      });
  }
}
