import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const VERSION = 'v1';

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM with a random 96-bit IV per value. The stored string names the key that
 * sealed it (`v1.<keyId>.<iv>.<tag>.<ciphertext>`), so ENCRYPTION_KEY can rotate: the new key
 * encrypts, keys in ENCRYPTION_OLD_KEYS still decrypt until values are re-sealed.
 */
@Injectable()
export class EncryptionService {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.current = { id: keyId(config.crypto.current), key: config.crypto.current };
    for (const k of [config.crypto.current, ...config.crypto.old]) this.keys.set(keyId(k), k);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plain: string, aad = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    if (aad) cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.current.id, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
  }

  decrypt(sealed: string, aad = ''): string {
    const [version, id, iv, tag, ct] = sealed.split('.');
    if (version !== VERSION || !id || !iv || !tag || ct === undefined) throw new Error('Unreadable encrypted value');
    const key = this.keys.get(id);
    if (!key) throw new Error(`Encrypted with unknown key ${id}; add it to ENCRYPTION_OLD_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    if (aad) decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  encryptJson(value: unknown, aad = ''): string {
    return this.encrypt(JSON.stringify(value), aad);
  }

  decryptJson<T>(sealed: string, aad = ''): T {
    return JSON.parse(this.decrypt(sealed, aad)) as T;
  }

  /** True when the value was sealed with an old key and should be re-encrypted. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}
