import { EncryptionService } from '../../core/security/encryption.service';

/**
 * The secrets of a credential, sealed with AES-256-GCM. The associated data binds a ciphertext
 * to its tenant and row: copied into another row (or tenant) it no longer decrypts.
 */
export function credentialAad(tenantId: string, credentialId: string): string {
  return `flowgate:credential:${tenantId}:${credentialId}`;
}

export function sealSecrets(enc: EncryptionService, tenantId: string, id: string, secrets: Record<string, string>) {
  const ciphertext = enc.encryptJson(secrets, credentialAad(tenantId, id));
  return { ciphertext, keyId: keyIdOf(ciphertext) };
}

export function openSecrets(enc: EncryptionService, row: { tenantId: string; id: string; ciphertext: string }): Record<string, string> {
  return enc.decryptJson<Record<string, string>>(row.ciphertext, credentialAad(row.tenantId, row.id));
}

/** `v1.<keyId>.<iv>.<tag>.<ct>` → keyId. */
export function keyIdOf(ciphertext: string): string {
  return ciphertext.split('.')[1] ?? '';
}
