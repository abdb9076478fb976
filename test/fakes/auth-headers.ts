import { FakeRequest } from './fake-server';

/** Decodes `Authorization: Basic ...` into its two halves (fakes check credentials like the real API). */
export function basicAuth(req: FakeRequest): { username: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export function bearerToken(req: FakeRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
}
