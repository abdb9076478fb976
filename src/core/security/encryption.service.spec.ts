import { loadConfig } from '../config/load-config';
import { EncryptionService } from './encryption.service';

const key = (b: number) => Buffer.alloc(32, b).toString('hex');
const service = (current: string, old: string[] = []) =>
  new EncryptionService(loadConfig({ NODE_ENV: 'test', ENCRYPTION_KEY: current, ENCRYPTION_OLD_KEYS: old.join(',') }));

describe('EncryptionService', () => {
  it('round-trips with a random IV per value and names its key', () => {
    const s = service(key(1));
    const a = s.encrypt('hunter2');
    const b = s.encrypt('hunter2');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('hunter2');
    expect(a.split('.')[1]).toBe(s.currentKeyId);
    expect(s.decrypt(a)).toBe('hunter2');
  });

  it('rejects tampering and a wrong associated-data binding', () => {
    const s = service(key(1));
    const sealed = s.encrypt('secret', 'tenant-a');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => s.decrypt(parts.join('.'), 'tenant-a')).toThrow();
    expect(() => s.decrypt(sealed, 'tenant-b')).toThrow();
  });

  it('decrypts values sealed with an old key after rotation and flags them for re-sealing', () => {
    const before = service(key(1)).encrypt('rotate-me');
    const after = service(key(2), [key(1)]);
    expect(after.decrypt(before)).toBe('rotate-me');
    expect(after.needsRotation(before)).toBe(true);
    expect(after.needsRotation(after.encrypt('x'))).toBe(false);
    expect(() => service(key(2)).decrypt(before)).toThrow(/ENCRYPTION_OLD_KEYS/);
  });
});
