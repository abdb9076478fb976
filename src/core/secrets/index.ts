/**
 * Secrets in what Flowgate shows, stores and logs: which names hold one (secret-names), the one
 * walk that hides them in structured values (hide-secrets), a credential's own values wherever
 * they appear (known-secrets), and free text (scrub-text).
 */
export { hideSecrets, isPlainObject, TOO_DEEP } from './hide-secrets';
export type { HiddenCopy, HideSecretsOptions } from './hide-secrets';
export { scrubDeep, scrubDetails, scrubText } from './known-secrets';
export { maskQuoted, scrubMessage, stripQueryStrings } from './scrub-text';
export { isSecretName, looksLikeCredentialText, normaliseKeyName, REDACTED } from './secret-names';
