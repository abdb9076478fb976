import { createHmac } from 'node:crypto';
import { AppException } from '../../../core/errors/app-exception';
import { OAuthStateSigner } from '../oauth-state';

const state = {
  tenantId: 't-1',
  userId: 'u-1',
  integrationId: 'quickbooks',
  sessionRef: 'session-1',
  expiresAt: Math.floor(Date.now() / 1000) + 600,
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppException).code;
  }
  return undefined;
}

describe('OAuthStateSigner', () => {
  const signer = new OAuthStateSigner('jwt-secret-for-tests');

  it('round-trips what it signed', () => {
    expect(signer.verify(signer.sign(state))).toEqual(state);
  });

  it('refuses a changed payload, another key, extra parts and garbage', () => {
    const signed = signer.sign(state);
    const [payload, mac] = signed.split('.');
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('t-1', 't-2')).toString('base64url');
    expect(codeOf(() => signer.verify(`${forged}.${mac}`))).toBe('OAUTH_STATE_INVALID');
    expect(codeOf(() => new OAuthStateSigner('another-secret').verify(signed))).toBe('OAUTH_STATE_INVALID');
    expect(codeOf(() => signer.verify(`${signed}.x`))).toBe('OAUTH_STATE_INVALID');
    expect(codeOf(() => signer.verify('garbage'))).toBe('OAUTH_STATE_INVALID');
  });

  it('refuses a first-version state (it named a connection id Flowgate had invented)', () => {
    const v1 = Buffer.from(JSON.stringify({ v: 1, tid: 't-1', uid: 'u-1', iid: 'quickbooks', cid: 'c-1', exp: state.expiresAt })).toString(
      'base64url',
    );
    // Signed with the right key (as the previous release did), so only the version refuses it.
    const key = createHmac('sha256', 'jwt-secret-for-tests').update('flowgate:nango-oauth-state:v1').digest();
    const mac = createHmac('sha256', key).update(v1).digest('base64url');
    expect(codeOf(() => signer.verify(`${v1}.${mac}`))).toBe('OAUTH_STATE_INVALID');
  });

  it('refuses an expired state', () => {
    const old = signer.sign({ ...state, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    expect(codeOf(() => signer.verify(old))).toBe('OAUTH_STATE_EXPIRED');
  });
});
