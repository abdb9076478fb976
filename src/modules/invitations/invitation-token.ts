import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps instead of the token: its SHA-256 in hex. The token has 256 random
 * bits, so a plain (unsalted, fast) hash is enough: nobody can guess a preimage, and lookups by
 * hash use the unique index without comparing secrets in application code.
 */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
