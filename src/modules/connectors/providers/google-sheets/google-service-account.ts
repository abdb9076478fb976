import { createPrivateKey } from 'node:crypto';
import type { ErrorDetail } from '../../../../core/errors/app-exception';
import { ConnectorError, JsonSchema } from '../../contract';
import { SHEETS_PROVIDER } from './google-sheets-errors';
import { GoogleTokenExchange, TokenHttp } from './google-token-exchange';

export const GOOGLE_SERVICE_ACCOUNT_KIND = 'google_service_account' as const;

/**
 * The fields of a Google service-account JSON key that Flowgate stores: nothing else of the key
 * file (project_id, client_id, the cert URLs are not needed; token_uri is never used, see below).
 */
export const SERVICE_ACCOUNT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type', 'client_email', 'private_key'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', const: 'service_account', description: 'From the key file: always "service_account"' },
    client_email: {
      type: 'string',
      maxLength: 320,
      pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      description: 'From the key file, e.g. flowgate@my-project.iam.gserviceaccount.com (share the spreadsheets with it)',
    },
    private_key: {
      type: 'string',
      minLength: 100,
      maxLength: 8192,
      pattern: '^\\s*-----BEGIN PRIVATE KEY-----[\\s\\S]+-----END PRIVATE KEY-----\\s*$',
      description: 'From the key file: the PEM PKCS#8 RSA private key ("-----BEGIN PRIVATE KEY-----\\n...")',
    },
    private_key_id: { type: 'string', pattern: '^[0-9a-f]{1,64}$', description: 'From the key file (optional)' },
  },
};

/**
 * What the AuthKindRegistry needs (credentials' AuthKindHandler, matched by shape: the providers
 * layer does not import the credentials module). Registered by GoogleCredentialsModule.
 */
export interface GoogleServiceAccountKind {
  readonly kind: typeof GOOGLE_SERVICE_ACCOUNT_KIND;
  readonly ownsSchema: true;
  readonly defaultSchema: JsonSchema;
  readonly exchange: GoogleTokenExchange;
  hint(secrets: Record<string, string>): string;
  checkForTenant(secrets: Record<string, string>, tenantId: string): Promise<ErrorDetail[]>;
  resolve(stored: Record<string, string>, ctx: { credentialId: string; signal?: AbortSignal }): Promise<Record<string, string>>;
}

/**
 * Credential kind `google_service_account`: a service account's key (the fields above). At call
 * time the key is exchanged for an access token (GoogleTokenExchange: google-auth-library's JWT
 * client, sent to GOOGLE_TOKEN_URL only, through the outbound client, cached until shortly
 * before expiry). The connector receives only `accessToken` and `principal`
 * (`serviceAccount:<client_email>`, IAM's spelling, for the "share the sheet with" message);
 * the private key never leaves this kind.
 */
export function googleServiceAccountKind(tokenUrl: string, http: TokenHttp): GoogleServiceAccountKind {
  const exchange = new GoogleTokenExchange(tokenUrl, http);
  return {
    kind: GOOGLE_SERVICE_ACCOUNT_KIND,
    ownsSchema: true,
    defaultSchema: SERVICE_ACCOUNT_SCHEMA,
    exchange,
    // The client e-mail is no secret: it is what users share their spreadsheets with.
    hint: (s) => (s.client_email ? s.client_email.slice(0, 160) : '…'),
    checkForTenant(secrets) {
      try {
        const key = createPrivateKey({ key: secrets.private_key, format: 'pem' });
        if (key.asymmetricKeyType !== 'rsa') {
          return Promise.resolve([{ field: 'secrets.private_key', message: 'must be an RSA private key (Google signs with RS256)' }]);
        }
      } catch {
        return Promise.resolve([{ field: 'secrets.private_key', message: 'is not a readable PEM private key' }]);
      }
      return Promise.resolve([]);
    },
    async resolve(stored, ctx) {
      if (stored.type !== 'service_account' || !stored.client_email || !stored.private_key) {
        throw new ConnectorError(`${SHEETS_PROVIDER}: the credential is not a service-account key`, {
          retryable: false,
          code: 'CREDENTIAL_INVALID',
        });
      }
      const accessToken = await exchange.accessToken(
        ctx.credentialId,
        { client_email: stored.client_email, private_key: stored.private_key, private_key_id: stored.private_key_id },
        ctx.signal,
      );
      return { accessToken, principal: `serviceAccount:${stored.client_email}` };
    },
  };
}
