import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../core/config/load-config';
import { statusOf } from '../entities/invitation.entity';
import { hashInvitationToken, newInvitationToken, TOKEN_PATTERN } from '../invitation-token';

const tmp = () => mkdtempSync(join(tmpdir(), 'fg-invite-config-'));
const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, tmp());
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    load(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('invitation settings', () => {
  it('defaults: links live 72 hours, no PUBLIC_URL, no SMTP (no email is sent)', () => {
    const c = load({});
    expect(c.invitations.ttlHours).toBe(72);
    expect(c.publicUrl).toBeUndefined();
    expect(c.mail).toEqual({ smtp: undefined, from: undefined });
  });

  it('reads INVITATION_TTL_HOURS and PUBLIC_URL (without a trailing slash), refusing what is not one', () => {
    const c = load({ INVITATION_TTL_HOURS: '2', PUBLIC_URL: 'https://flowgate.example.com/' });
    expect(c.invitations.ttlHours).toBe(2);
    expect(c.publicUrl).toBe('https://flowgate.example.com');
    expect(problemsOf({ INVITATION_TTL_HOURS: '0' }).join()).toMatch(/INVITATION_TTL_HOURS/);
    expect(problemsOf({ PUBLIC_URL: 'flowgate.example.com' }).join()).toMatch(/PUBLIC_URL: must be an http\(s\) URL/);
  });

  it('reads SMTP_URL: smtp:// defaults to 587 with STARTTLS when offered, smtps:// to 465, credentials URL-decoded', () => {
    const plain = load({ SMTP_URL: 'smtp://mailer%40acme:p%2Fss%40word@mail.example.com', SMTP_FROM: 'Flowgate <no-reply@acme.test>' });
    expect(plain.mail).toEqual({
      smtp: { host: 'mail.example.com', port: 587, secure: false, user: 'mailer@acme', password: 'p/ss@word', timeoutMs: 10_000 },
      from: 'Flowgate <no-reply@acme.test>',
    });
    const tls = load({ SMTP_URL: 'smtps://mail.example.com', SMTP_FROM: 'a@b.test', SMTP_TIMEOUT_MS: '3000' });
    expect(tls.mail.smtp).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      user: undefined,
      password: undefined,
      timeoutMs: 3000,
    });
    expect(load({ SMTP_URL: 'smtp://u:p@127.0.0.1:2525', SMTP_FROM: 'a@b.test' }).mail.smtp).toMatchObject({
      host: '127.0.0.1',
      port: 2525,
    });
  });

  it('reads the SMTP_HOST group; port 465 means implicit TLS unless SMTP_SECURE says otherwise', () => {
    const c = load({ SMTP_HOST: 'smtp.example.com', SMTP_USER: 'u', SMTP_PASSWORD: 'pw', SMTP_FROM: 'a@b.test' });
    expect(c.mail.smtp).toEqual({ host: 'smtp.example.com', port: 587, secure: false, user: 'u', password: 'pw', timeoutMs: 10_000 });
    expect(load({ SMTP_HOST: 'h', SMTP_PORT: '465', SMTP_FROM: 'a@b.test' }).mail.smtp).toMatchObject({ port: 465, secure: true });
    expect(load({ SMTP_HOST: 'h', SMTP_SECURE: 'true', SMTP_FROM: 'a@b.test' }).mail.smtp).toMatchObject({ port: 465, secure: true });
    expect(load({ SMTP_HOST: 'h', SMTP_PORT: '2525', SMTP_SECURE: 'false', SMTP_FROM: 'a@b.test' }).mail.smtp).toMatchObject({
      port: 2525,
      secure: false,
    });
  });

  it('refuses a bad SMTP setup by name, never repeating the URL or its password', () => {
    const secret = 'S3cret-smtp-pw';
    const bad = problemsOf({ SMTP_URL: `http://user:${secret}@mail.example.com`, SMTP_FROM: 'a@b.test' });
    expect(bad).toEqual(['SMTP_URL: must be a URL such as smtp://user:password@mail.example.com:587 or smtps://…:465']);
    expect(problemsOf({ SMTP_URL: `not a url ${secret}`, SMTP_FROM: 'a@b.test' }).join()).not.toContain(secret);
    expect(problemsOf({ SMTP_URL: `smtp://u:${secret}@h`, SMTP_HOST: 'h', SMTP_FROM: 'a@b.test' })).toEqual([
      'SMTP_URL: set SMTP_URL or SMTP_HOST, not both',
    ]);
    expect(problemsOf({ SMTP_HOST: 'h' })).toEqual(['SMTP_FROM: required when SMTP is set (the sender of invitation emails)']);
    expect(problemsOf({ SMTP_HOST: 'h', SMTP_PORT: '70000', SMTP_FROM: 'a@b.test' }).join()).toMatch(/SMTP_PORT/);
  });
});

describe('invitation tokens and status', () => {
  it('makes 43-character base64url tokens (32 random bytes) stored as their SHA-256 in hex', () => {
    const token = newInvitationToken();
    expect(token).toMatch(TOKEN_PATTERN);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newInvitationToken()).not.toBe(token);
    expect(hashInvitationToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashInvitationToken(token)).toBe(hashInvitationToken(token));
  });

  it('reads accepted and revoked as final, and a pending invitation past its expiry as expired', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const later = new Date('2026-11-29T12:00:00Z');
    const earlier = new Date('2026-11-27T12:00:00Z');
    expect(statusOf({ acceptedAt: null, revokedAt: null, expiresAt: later }, now)).toBe('pending');
    expect(statusOf({ acceptedAt: null, revokedAt: null, expiresAt: now }, now)).toBe('expired');
    expect(statusOf({ acceptedAt: earlier, revokedAt: null, expiresAt: earlier }, now)).toBe('accepted');
    expect(statusOf({ acceptedAt: null, revokedAt: earlier, expiresAt: earlier }, now)).toBe('revoked');
  });
});
