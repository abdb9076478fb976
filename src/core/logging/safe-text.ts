/**
 * Text that reaches a log line keeps no query string and no URL credentials: the scrubbers
 * live with the other secret handling (core/secrets) and are named here for the logging code.
 */
export { maskQuoted, stripQueryStrings } from '../secrets';

/** The path of a request target, never its query string. */
export function pathOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}
