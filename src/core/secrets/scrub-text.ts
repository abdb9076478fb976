/**
 * Free text that leaves Flowgate (log messages, error messages, stacks, step errors) loses what
 * can carry a secret inside it: URL credentials and query strings, quoted database values,
 * bearer and basic credentials.
 */

/**
 * A URL or an absolute path followed by a query string; the query runs to the next blank or
 * quote, leaving punctuation that ends a sentence (`…?code=abc: failed`).
 */
const URL_WITH_QUERY = /((?:\b[a-z][a-z0-9+.-]*:\/\/|(?<![\w/])\/)[^\s?#"'<>`]*)\?[^\s"'<>`]*?(?=[.,;:)\]]*(?:[\s"'<>`]|$))/gi;
/** `scheme://user:password@` */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>`]+@/gi;

/**
 * Log text keeps no query string and no URL credentials: `https://u:p@host/cb?code=abc` becomes
 * `https://[redacted]@host/cb`, `/api/auth/callback?state=…` becomes `/api/auth/callback`.
 */
export function stripQueryStrings(text: string): string {
  if (!text.includes('?') && !text.includes('@')) return text;
  return text.replace(URL_USERINFO, '$1[redacted]@').replace(URL_WITH_QUERY, '$1');
}

/**
 * Database messages quote the offending value (`invalid input syntax for type uuid: "…"`,
 * `date/time field value out of range: "…"`): every quoted part goes. Identifiers that help
 * (constraint, table, column) are logged from the error's own fields instead.
 */
export function maskQuoted(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}

/**
 * A step's error message as runs store and show it. Error text can carry a URL whose path or
 * query is the secret (Slack/Discord webhook URLs, `?appid=`): keep only each URL's origin, and
 * drop bearer/basic credentials.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/\b(https?:\/\/[^/\s?#"'<>]+)[^\s"'<>]*/gi, (_m, origin: string) => `${origin}/…`)
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]');
}
