/**
 * Text that reaches a log line (messages, error messages, stacks) keeps no query string and no
 * URL credentials: `https://u:p@host/cb?code=abc` becomes `https://[redacted]@host/cb`,
 * `/api/auth/callback?state=…` becomes `/api/auth/callback`.
 */

/**
 * A URL or an absolute path followed by a query string; the query runs to the next blank or
 * quote, leaving punctuation that ends a sentence (`…?code=abc: failed`).
 */
const URL_WITH_QUERY = /((?:\b[a-z][a-z0-9+.-]*:\/\/|(?<![\w/])\/)[^\s?#"'<>`]*)\?[^\s"'<>`]*?(?=[.,;:)\]]*(?:[\s"'<>`]|$))/gi;
/** `scheme://user:password@` */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>`]+@/gi;

export function stripQueryStrings(text: string): string {
  if (!text.includes('?') && !text.includes('@')) return text;
  return text.replace(URL_USERINFO, '$1[redacted]@').replace(URL_WITH_QUERY, '$1');
}

/** The path of a request target, never its query string. */
export function pathOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}

/**
 * Database messages quote the offending value (`invalid input syntax for type uuid: "…"`,
 * `date/time field value out of range: "…"`): every quoted part goes. Identifiers that help
 * (constraint, table, column) are logged from the error's own fields instead.
 */
export function maskQuoted(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}
