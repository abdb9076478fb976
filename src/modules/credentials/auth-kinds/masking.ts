/** `…ab12` for long secrets; just `…` when showing even 4 characters would give too much away. */
export function maskTail(value: string | undefined): string {
  if (!value) return '';
  return value.length >= 12 ? `…${value.slice(-4)}` : '…';
}

/** `hooks.slack.com/…`: the host of a secret URL, never its path. */
export function maskUrl(value: string | undefined): string {
  if (!value) return '';
  try {
    return `${new URL(value).host}/…`;
  } catch {
    return '…';
  }
}

/** A hint for connector-specific fields: the host of the first URL field, else the tail of the first secret. */
export function genericHint(secrets: Record<string, string>): string {
  const values = Object.values(secrets).filter((v) => typeof v === 'string' && v !== '');
  const url = values.find((v) => /^https?:\/\//i.test(v));
  if (url) return maskUrl(url);
  return maskTail(values[0]);
}
