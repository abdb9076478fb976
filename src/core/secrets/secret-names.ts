/**
 * The one answer to "does this key name hold a secret?", which every hiding walk asks
 * (hide-secrets.ts: log lines, stored executions and dry runs, connector error details).
 *
 * Keys are compared normalised: lower case, every character that is not a letter or a digit
 * removed, so `secret_key`, `secretKey`, `Secret-Key`, `SECRETKEY` and `secret.key` are one name.
 * A key that matches hides its whole value, whatever it is: `credentials: {...}` and
 * `secrets: {...}` are hidden as a whole, which is what "everything under them is secret" means.
 *
 * The rules err on the side of secrecy, with one deliberate exception: `token` matches as a
 * whole word or at the end of a name (`token`, `access_token`, `x-auth-token`, `api_token`,
 * `pageToken`) but not as a prefix or in the plural, so usage counters such as `tokens_used`,
 * `token_count`, `max_tokens` and `prompt_tokens`, and `token_type` / `token_expires_at`, stay
 * readable. Those carry no secret, and hiding them would hide most LLM and billing outputs.
 */

/** Names that hide their value when the normalised key is exactly one of them. */
const EXACT = new Set(['pwd', 'pass', 'session', 'appid', 'otp', 'dsn', 'jwt', 'credential', 'credentials']);

/**
 * Fragments that make any key secret wherever they appear in it (`aws_secret_access_key`,
 * `db_password_old`). `credential` is not one: `credentialId` and `credential_name` name a
 * credential, they do not hold it.
 */
const ANYWHERE = [
  'secret',
  'password',
  'passwd',
  'passphrase',
  'privatekey',
  'apikey',
  'accesskey',
  'authorization',
  'cookie',
  'ciphertext',
  'webhookurl',
  'connectionstring',
  // qualified tokens, also in the plural or with a suffix (`access_tokens`, `refreshTokenValue`)
  'accesstoken',
  'refreshtoken',
  'authtoken',
  'apitoken',
  'bearertoken',
  'sessiontoken',
];

/** Endings that make a key secret (`x-auth-token`, `hub_signature`, `db_pwd`, `JSESSIONID`). */
const ENDINGS = ['token', 'signature', 'pwd', 'sessionid', 'sessid', 'sessionkey', 'credentials'];

/** Lower case, letters and digits only: the form every rule above is written in. */
export function normaliseKeyName(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function decide(key: string): boolean {
  const n = normaliseKeyName(key);
  if (!n) return false;
  if (EXACT.has(n)) return true;
  for (const f of ANYWHERE) if (n.includes(f)) return true;
  for (const e of ENDINGS) if (n.endsWith(e)) return true;
  return false;
}

/** Keys repeat endlessly (the same payload shapes, the same log fields): remember each verdict. */
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED = 10_000;

/** True when a value stored under `key` must never be shown, stored or logged in clear. */
export function isSecretName(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = decide(key);
    if (verdicts.size >= MAX_REMEMBERED) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** What a hidden value is replaced with, everywhere. */
export const REDACTED = '[redacted]';

/** Credentials that travel as text under an innocent key: `Bearer …`, `Basic …`, `Token …`. */
const CREDENTIAL_TEXT = /^(bearer|basic|token)\s+\S{8,}/i;

export function looksLikeCredentialText(value: string): boolean {
  return value.length > 8 && CREDENTIAL_TEXT.test(value);
}
